/*
 * mib_table: a table's rows and how its handler answers.
 *
 * Rows are one array sorted by index.  A reload's rows replace it whole
 * (mib_table_rebind, sorted if given out of order, an index given twice
 * served once); single rows added or removed (mib_table_set_row) settle
 * into it before the next request reads it.  The handler answers GET with
 * the exact instance, and GETNEXT with the next instance that has a
 * value, skipping absent cells and empty columns itself, from any OID:
 * before the table, a partial index, one longer than the index, a column
 * the table lacks, sub-identifiers of 2^31 and above as Net-SNMP's AgentX
 * code sign-extends them.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "mib_table.h"

/* Column 1: every row; 2: odd objects only; 3: none; 5: every row. */
static bool get_all(const void *obj, struct mib_value *v)
{
	return mib_set_u32(v, (uint32_t) * (const int *)obj);
}

static bool get_odd(const void *obj, struct mib_value *v)
{
	return *(const int *)obj % 2 && mib_set_u32(v, (uint32_t) * (const int *)obj);
}

static bool get_none(const void *obj, struct mib_value *v)
{
	(void)obj, (void)v;
	return false;
}

static const struct mib_column cols[] = {{1, "all", ASN_UNSIGNED, get_all},
                                         {2, "odd", ASN_UNSIGNED, get_odd},
                                         {3, "none", ASN_UNSIGNED, get_none},
                                         {5, "five", ASN_UNSIGNED, get_all}};
static const oid table_oid[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 99};
#define T_LEN OID_LENGTH(table_oid)
static struct mib_table table = {.name = "testTable",
                                 .table_oid = table_oid,
                                 .table_oid_len = T_LEN,
                                 .n_index = 2,
                                 .cols = cols,
                                 .n_cols = 4};
static int objs[1000];

static void setup(void)
{
	for (int i = 0; i < 1000; i++)
		objs[i] = i;
}

static void teardown(void)
{
	mib_table_clear(&table);
}

static struct mib_row *rows_copy(const struct mib_row *rows, size_t n)
{
	struct mib_row *r = mib_rows_alloc(&table, n);
	ck_assert_ptr_nonnull(r);
	if (n)
		memcpy(r, rows, n * sizeof(*r));
	return r;
}

/* The table holds exactly rows[0..n), in this order. */
static void expect_rows(const struct mib_row *rows, size_t n)
{
	size_t got;
	const struct mib_row *r = mib_table_rows(&table, &got);

	ck_assert_uint_eq(mib_table_row_count(&table), n);
	ck_assert_uint_eq(got, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(r[i].idx[0], rows[i].idx[0]);
		ck_assert_uint_eq(r[i].idx[1], rows[i].idx[1]);
		ck_assert_ptr_eq(r[i].obj, rows[i].obj);
	}
}

/* ---- rows ---- */

START_TEST(rebind_replaces_rows)
{
	const struct mib_row a[] = {
	    {{1, 1}, &objs[0]}, {{1, 2}, &objs[1]}, {{2, 1}, &objs[2]}, {{7, 3}, &objs[3]}};
	mib_table_rebind(&table, rows_copy(a, 4), 4);
	expect_rows(a, 4);
	const struct mib_row b[] = {
	    {{1, 1}, &objs[10]}, {{1, 3}, &objs[11]}, {{2, 1}, &objs[12]}, {{9, 9}, &objs[13]}};
	mib_table_rebind(&table, rows_copy(b, 4), 4);
	expect_rows(b, 4);
	mib_table_rebind(&table, rows_copy(NULL, 0), 0);
	expect_rows(NULL, 0);
}
END_TEST

START_TEST(rebind_sorts_rows_out_of_order)
{
	const struct mib_row sorted[] = {
	    {{1, 1}, &objs[0]}, {{1, 2}, &objs[1]}, {{3, 1}, &objs[2]}};
	const struct mib_row shuffled[] = {sorted[2], sorted[0], sorted[1], sorted[2]};
	mib_table_rebind(&table, rows_copy(shuffled, 4), 4); /* 3.1 twice: served once */
	expect_rows(sorted, 3);
}
END_TEST

/* A storm of single changes, in no order, against a plain reference. */
START_TEST(set_row_storm_settles_in_order)
{
	static const void *want[40][25];
	unsigned x = 12345;
	for (int i = 0; i < 5000; i++) {
		x = x * 1103515245u + 12345u;
		uint32_t idx[2] = {(x >> 8) % 40 + 1, (x >> 16) % 25 + 1};
		const void *obj = (x >> 4) % 3 ? &objs[(x >> 12) % 1000] : NULL;
		ck_assert_int_eq(mib_table_set_row(&table, idx, obj), 0);
		want[idx[0] - 1][idx[1] - 1] = obj;
		if (i % 700 == 0) { /* read between changes too */
			size_t n;
			mib_table_rows(&table, &n);
		}
	}
	struct mib_row ref[1000];
	size_t n = 0;
	for (uint32_t a = 0; a < 40; a++)
		for (uint32_t b = 0; b < 25; b++)
			if (want[a][b])
				ref[n++] = (struct mib_row){{a + 1, b + 1}, want[a][b]};
	expect_rows(ref, n);
}
END_TEST

/* ---- the handler ---- */

/* One request, as the agent hands it to the table's handler. */
static netsnmp_variable_list *ask(int mode, const oid *name, size_t len)
{
	netsnmp_variable_list *vb = calloc(1, sizeof(*vb));
	netsnmp_request_info req = {.requestvb = vb};
	netsnmp_agent_request_info ri = {.mode = mode};
	netsnmp_mib_handler *h = netsnmp_find_handler_by_name(table.reg, "testTable");

	ck_assert_ptr_nonnull(h);
	snmp_set_var_objid(vb, name, len);
	vb->type = ASN_NULL;
	h->access_method(h, table.reg, &ri, &req);
	return vb;
}

/* name = table.1.<sub...>, n sub-identifiers. */
static size_t cell(oid *name, const oid *sub, size_t n)
{
	memcpy(name, table_oid, sizeof(table_oid));
	name[T_LEN] = 1;
	memcpy(name + T_LEN + 1, sub, n * sizeof(oid));
	return T_LEN + 1 + n;
}

/* GETNEXT from sub[0..n) answers column col of row (a, b) with value val. */
static void expect_next(const oid *sub, size_t n, unsigned col, oid a, oid b, int val)
{
	oid name[MAX_OID_LEN], want[MAX_OID_LEN];
	netsnmp_variable_list *vb = ask(MODE_GETNEXT, name, cell(name, sub, n));
	size_t len = cell(want, (const oid[]){col, a, b}, 3);

	ck_assert_int_eq(vb->type, ASN_UNSIGNED);
	ck_assert_int_eq(snmp_oid_compare(vb->name, vb->name_length, want, len), 0);
	ck_assert_int_eq((int)*vb->val.integer, val);
	snmp_free_var(vb);
}

static void expect_error(int mode, const oid *name, size_t len, int type)
{
	netsnmp_variable_list *vb = ask(mode, name, len);
	ck_assert_int_eq(vb->type, type);
	snmp_free_var(vb);
}

#define BIG        0x80000000UL /* 2^31: as the AgentX code hands it over */
#define BIG_SIGNED ((oid)0xffffffff80000000ULL)

static void handler_setup(void)
{
	const struct mib_row rows[] = {{{1, 1}, &objs[1]},
	                               {{1, 2}, &objs[2]},
	                               {{5, 1}, &objs[5]},
	                               {{7, 2}, &objs[6]},
	                               {{(uint32_t)BIG, 3}, &objs[9]}};
	setup();
	ck_assert_int_eq(mib_table_register(&table), 0);
	mib_table_rebind(&table, rows_copy(rows, 5), 5);
}

static void handler_teardown(void)
{
	mib_table_unregister(&table);
}

START_TEST(getnext_walks_every_present_cell)
{
	oid name[MAX_OID_LEN];
	netsnmp_variable_list *vb = ask(MODE_GETNEXT, table_oid, T_LEN);
	unsigned seen[6] = {0};
	int n = 0;

	while (vb->type == ASN_UNSIGNED && n++ < 100) {
		ck_assert_uint_gt(vb->name_length, T_LEN + 1);
		seen[vb->name[T_LEN + 1]]++;
		memcpy(name, vb->name, vb->name_length * sizeof(oid));
		size_t len = vb->name_length;
		snmp_free_var(vb);
		vb = ask(MODE_GETNEXT, name, len);
	}
	ck_assert_int_eq(vb->type, SNMP_ENDOFMIBVIEW); /* on to the next registration */
	snmp_free_var(vb);
	/* odd objects only in column 2 (1, 5, 9), none in 3, all in 1 and 5 */
	ck_assert_uint_eq(seen[1], 5);
	ck_assert_uint_eq(seen[2], 3);
	ck_assert_uint_eq(seen[3], 0);
	ck_assert_uint_eq(seen[5], 5);
}
END_TEST

START_TEST(getnext_from_any_oid)
{
	static const oid before[] = {1, 3, 6, 1};
	oid name[MAX_OID_LEN];

	expect_next((const oid[]){2, 1, 2}, 3, 2, 5, 1, 5);      /* 1.2 (even) skipped */
	expect_next((const oid[]){2, 5}, 2, 2, 5, 1, 5);         /* partial index */
	expect_next((const oid[]){2, 5, 1, 0}, 4, 2, BIG, 3, 9); /* longer than the index */
	expect_next((const oid[]){2, 7, 2}, 3, 2, BIG, 3, 9);    /* 7.2 (even) skipped */
	expect_next((const oid[]){2, BIG, 3}, 3, 5, 1, 1, 1);    /* 3 is empty: on to 5 */
	expect_next((const oid[]){4}, 1, 5, 1, 1, 1);            /* a column not in the table */
	expect_next((const oid[]){0}, 1, 1, 1, 1, 1);            /* before the first column */
	expect_next((const oid[]){1, 7, BIG_SIGNED}, 3, 1, BIG, 3, 9); /* sign-extended */
	expect_next((const oid[]){1, BIG_SIGNED}, 2, 1, BIG, 3, 9);

	netsnmp_variable_list *vb = ask(MODE_GETNEXT, before, OID_LENGTH(before));
	ck_assert_int_eq(vb->name[T_LEN + 1], 1);
	snmp_free_var(vb);
	expect_error(MODE_GETNEXT, name, cell(name, (const oid[]){5, BIG, 3}, 3),
	             SNMP_ENDOFMIBVIEW);
	expect_error(MODE_GETNEXT, name, cell(name, (const oid[]){6}, 1), SNMP_ENDOFMIBVIEW);
	name[T_LEN] = 2; /* past the entry */
	expect_error(MODE_GETNEXT, name, T_LEN + 1, SNMP_ENDOFMIBVIEW);
}
END_TEST

START_TEST(get_exact_instances_only)
{
	oid name[MAX_OID_LEN];
	size_t len = cell(name, (const oid[]){1, BIG_SIGNED, 3}, 3);

	netsnmp_variable_list *vb = ask(MODE_GET, name, len);
	ck_assert_int_eq(vb->type, ASN_UNSIGNED);
	ck_assert_int_eq((int)*vb->val.integer, 9);
	snmp_free_var(vb);
	expect_error(MODE_GET, name, cell(name, (const oid[]){2, 1, 2}, 3), SNMP_NOSUCHINSTANCE);
	expect_error(MODE_GET, name, cell(name, (const oid[]){1, 1, 3}, 3), SNMP_NOSUCHINSTANCE);
	expect_error(MODE_GET, name, cell(name, (const oid[]){1, 1}, 2), SNMP_NOSUCHINSTANCE);
	expect_error(MODE_GET, name, cell(name, (const oid[]){1, 1, 1, 0}, 4), SNMP_NOSUCHINSTANCE);
	expect_error(MODE_GET, name, cell(name, (const oid[]){4, 1, 1}, 3), SNMP_NOSUCHOBJECT);
	expect_error(MODE_GET, table_oid, T_LEN, SNMP_NOSUCHOBJECT);
}
END_TEST

/* Changes made between requests are what the next request sees. */
START_TEST(changes_seen_by_the_next_request)
{
	oid name[MAX_OID_LEN];
	size_t len = cell(name, (const oid[]){1, 3, 3}, 3);

	ck_assert_int_eq(mib_table_set_row(&table, (const uint32_t[]){3, 3}, &objs[33]), 0);
	netsnmp_variable_list *vb = ask(MODE_GET, name, len);
	ck_assert_int_eq((int)*vb->val.integer, 33);
	snmp_free_var(vb);
	ck_assert_int_eq(mib_table_set_row(&table, (const uint32_t[]){1, 2}, NULL), 0);
	expect_next((const oid[]){1, 1, 1}, 3, 1, 3, 3, 33); /* 1.2 is gone */
	ck_assert_int_eq(mib_table_set_row(&table, (const uint32_t[]){3, 3}, NULL), 0);
	expect_error(MODE_GET, name, len, SNMP_NOSUCHINSTANCE);
	expect_next((const oid[]){1, 1, 1}, 3, 1, 5, 1, 5);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mib_table");
	TCase *rows = tcase_create("rows");
	TCase *handler = tcase_create("handler");

	tcase_add_checked_fixture(rows, setup, teardown);
	tcase_add_test(rows, rebind_replaces_rows);
	tcase_add_test(rows, rebind_sorts_rows_out_of_order);
	tcase_add_test(rows, set_row_storm_settles_in_order);
	suite_add_tcase(s, rows);
	tcase_add_checked_fixture(handler, handler_setup, handler_teardown);
	tcase_add_test(handler, getnext_walks_every_present_cell);
	tcase_add_test(handler, getnext_from_any_oid);
	tcase_add_test(handler, get_exact_instances_only);
	tcase_add_test(handler, changes_seen_by_the_next_request);
	suite_add_tcase(s, handler);
	return s;
}

UNIT_MAIN(suite)
