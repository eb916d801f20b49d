/*
 * Alarm bookkeeping with no Net-SNMP: the alarm set stays sorted with
 * stable ids; alarm types and severities keep their MIB names and order.
 */
#include "unit.h"
#include <stdlib.h>

#include "alarm.h"

START_TEST(set_add_find_detach)
{
	struct alarm_set s;
	struct alarm_key k[] = {{ALARM_OFFICE_ISOLATED, 7, 0},
	                        {ALARM_LINE_DOWN, 7, 2},
	                        {ALARM_LINE_DOWN, 3, 1},
	                        {ALARM_LINE_DOWN, 7, 1}};

	alarm_set_init(&s);
	for (unsigned i = 0; i < 4; i++) {
		struct alarm *a = alarm_add(&s, &k[i]);
		ck_assert_ptr_nonnull(a);
		ck_assert_uint_eq(a->id, i + 1); /* ids in raising order */
	}
	ck_assert_ptr_null(alarm_add(&s, &k[1])); /* no duplicate keys */
	for (size_t i = 1; i < s.n; i++)
		ck_assert_int_lt(alarm_key_cmp(&s.v[i - 1]->key, &s.v[i]->key), 0);
	struct alarm *a = alarm_find(&s, &k[3]);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->id, 4);
	struct alarm *d = alarm_detach(&s, &k[2]);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_null(alarm_find(&s, &k[2]));
	ck_assert_uint_eq(d->id, 3);
	free(d);
	ck_assert_ptr_eq(alarm_find(&s, &k[3]), a); /* addresses stay stable */
	ck_assert_uint_eq(s.n, 3);
	/* An id is never reused: the next alarm gets 5, not 3. */
	ck_assert_uint_eq(alarm_add(&s, &k[2])->id, 5);
	ck_assert_ptr_null(alarm_detach(&s, &(struct alarm_key){ALARM_LINE_FLAPPING, 1, 1}));
	alarm_set_free(&s);
}
END_TEST

/* Raise/clear in random order: the set equals a reference bitmap. */
START_TEST(set_matches_reference)
{
	struct alarm_set s;
	bool ref[3][5][4] = {{{false}}};

	alarm_set_init(&s);
	srand(42);
	for (int i = 0; i < 5000; i++) {
		struct alarm_key k = {1 + rand() % 3, rand() % 5, rand() % 4};
		bool raise = rand() % 2;
		if (raise) {
			struct alarm *a = alarm_add(&s, &k);
			ck_assert((a != NULL) == !ref[k.type - 1][k.office][k.line]);
		} else {
			struct alarm *a = alarm_detach(&s, &k);
			ck_assert((a != NULL) == ref[k.type - 1][k.office][k.line]);
			free(a);
		}
		ref[k.type - 1][k.office][k.line] = raise;
	}
	size_t n = 0;
	for (int t = 0; t < 3; t++)
		for (int o = 0; o < 5; o++)
			for (int l = 0; l < 4; l++)
				n += ref[t][o][l];
	ck_assert_uint_eq(s.n, n);
	alarm_set_free(&s);
}
END_TEST

START_TEST(names_and_severity)
{
	ck_assert_str_eq(alarm_type_name(ALARM_LINE_FLAPPING), "lineFlapping");
	ck_assert_uint_eq(alarm_type_from_name("redundancyNonCompliant"), ALARM_REDUNDANCY);
	ck_assert_uint_eq(alarm_type_from_name("linedown"), 0);
	/* The MIB's TslcdAlarmTypeTC labels, issue 14's included. */
	ck_assert_str_eq(alarm_type_name(ALARM_NODE_DOWN), "nodeDown");
	ck_assert_str_eq(alarm_type_name(ALARM_MONITORING_IMPAIRED), "monitoringImpaired");
	ck_assert_str_eq(alarm_type_name(ALARM_AREA_OUTAGE), "areaOutage");
	ck_assert_ptr_null(alarm_type_name(ALARM_TYPE_MAX + 1));
	ck_assert_int_eq(alarm_severity_raised(SEV_INFO), SEV_WARNING);
	ck_assert_int_eq(alarm_severity_raised(SEV_MAJOR), SEV_CRITICAL);
	ck_assert_int_eq(alarm_severity_raised(SEV_CRITICAL), SEV_CRITICAL);
	ck_assert_int_eq(alarm_severity_raised(SEV_INDETERMINATE), SEV_INDETERMINATE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("alarm");
	TCase *tc = tcase_create("alarm");

	tcase_add_test(tc, set_add_find_detach);
	tcase_add_test(tc, set_matches_reference);
	tcase_add_test(tc, names_and_severity);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
