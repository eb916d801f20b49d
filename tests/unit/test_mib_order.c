/*
 * OID order, in the spirit of lldpd's test_variable_order: every object the
 * agent registers, in registration order, has a strictly greater OID than
 * the one before, and index encoding keeps (office, line, outage) order.
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mib.h"

#define MAX_OBJECTS 1024

struct named_oid {
	char name[64];
	oid o[MAX_OID_LEN];
	size_t len;
};

static size_t parse_dump(struct named_oid *out, size_t max)
{
	char *text = NULL;
	size_t size = 0, n = 0;
	FILE *f = open_memstream(&text, &size);
	char name[64], dotted[256];
	char *save_line = NULL, *save_dot = NULL;

	mib_dump_oids(f);
	fclose(f);
	for (char *line = strtok_r(text, "\n", &save_line); line && n < max;
	     line = strtok_r(NULL, "\n", &save_line)) {
		ck_assert_int_eq(sscanf(line, "%63s %255s", name, dotted), 2);
		strcpy(out[n].name, name);
		out[n].len = 0;
		for (char *p = strtok_r(dotted, ".", &save_dot); p;
		     p = strtok_r(NULL, ".", &save_dot))
			out[n].o[out[n].len++] = strtoul(p, NULL, 10);
		n++;
	}
	free(text);
	return n;
}

START_TEST(registration_order_increases)
{
	static struct named_oid objs[MAX_OBJECTS];
	size_t n = parse_dump(objs, MAX_OBJECTS);

	ck_assert_uint_gt(n, 100);
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(
		    snmp_oid_compare(objs[i - 1].o, objs[i - 1].len, objs[i].o, objs[i].len) < 0,
		    "%s does not come after %s", objs[i].name, objs[i - 1].name);
}
END_TEST

START_TEST(names_are_unique)
{
	static struct named_oid objs[MAX_OBJECTS];
	size_t n = parse_dump(objs, MAX_OBJECTS);

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(strcmp(objs[i].name, objs[j].name), "%s twice", objs[i].name);
}
END_TEST

/* Unsigned32 indices encode as one sub-identifier each, so numeric order of
 * (office, line) equals OID order, including at the 32-bit edge. */
START_TEST(index_encoding_keeps_order)
{
	static const uint32_t idx[][2] = {{1, 1}, {1, 2},   {1, 4294967295u},
	                                  {2, 1}, {300, 1}, {4294967295u, 1}};
	const size_t n = sizeof(idx) / sizeof(idx[0]);

	for (size_t i = 1; i < n; i++) {
		oid a[2] = {idx[i - 1][0], idx[i - 1][1]};
		oid b[2] = {idx[i][0], idx[i][1]};
		ck_assert_int_lt(snmp_oid_compare(a, 2, b, 2), 0);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mib_order");
	TCase *tc = tcase_create("mib_order");

	tcase_add_test(tc, registration_order_increases);
	tcase_add_test(tc, names_are_unique);
	tcase_add_test(tc, index_encoding_keeps_order);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
