/*
 * Acknowledging and shelving with no Net-SNMP: operator texts are checked,
 * end times must lie ahead (and not absurdly far), shelves cover exactly
 * their targets and end by themselves.
 */
#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "alarm_shelf.h"

START_TEST(texts)
{
	char long_note[ALARM_NOTE_MAX + 2];
	memset(long_note, 'a', sizeof(long_note) - 1);
	long_note[sizeof(long_note) - 1] = '\0';
	ck_assert_ptr_null(
	    alarm_shelf_text_problem("Cáp quang đứt, VNPT đang xử lý", ALARM_NOTE_MAX));
	ck_assert_ptr_nonnull(alarm_shelf_text_problem(long_note, ALARM_NOTE_MAX));
	long_note[ALARM_NOTE_MAX] = '\0';
	ck_assert_ptr_null(alarm_shelf_text_problem(long_note, ALARM_NOTE_MAX));
	ck_assert_ptr_nonnull(alarm_shelf_text_problem("bell\a", ALARM_NOTE_MAX));
	ck_assert_ptr_nonnull(alarm_shelf_text_problem("line\nforged", ALARM_NOTE_MAX));
	ck_assert_ptr_nonnull(alarm_shelf_text_problem("\xc3", ALARM_NOTE_MAX));
}
END_TEST

START_TEST(until)
{
	time_t now = 1800000000;
	int64_t u = 0;
	ck_assert_ptr_null(alarm_shelf_parse_until("+30m", now, &u));
	ck_assert_int_eq(u, now + 1800);
	ck_assert_ptr_null(alarm_shelf_parse_until("+2h", now, &u));
	ck_assert_int_eq(u, now + 7200);
	ck_assert_ptr_null(alarm_shelf_parse_until("+31d", now, &u));
	u = 7;
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("+32d", now, &u));
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("+0m", now, &u));
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("+5w", now, &u));
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("+-5m", now, &u));
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("+m", now, &u));
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("2020-01-01T00:00", now, &u));
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("2027-01-01T00:00x", now, &u));
	ck_assert_ptr_nonnull(alarm_shelf_parse_until("tomorrow", now, &u));
	ck_assert_int_eq(u, 7); /* nothing changed on error */
	time_t real = time(NULL);
	struct tm tm;
	time_t ahead = real + 7200;
	localtime_r(&ahead, &tm);
	char buf[32];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M", &tm);
	ck_assert_ptr_null(alarm_shelf_parse_until(buf, real, &u));
	ck_assert_int_le(ahead - u, 60);
}
END_TEST

START_TEST(coverage)
{
	struct shelf line = {.kind = SHELF_LINE, .key = {0, 10, 1}};
	struct shelf office = {.kind = SHELF_OFFICE, .key = {0, 10, 0}};
	struct shelf key = {.kind = SHELF_KEY, .key = {ALARM_NODE_DOWN, 10, 0}};
	struct alarm_key down = {ALARM_LINE_DOWN, 10, 1}, other = {ALARM_LINE_DOWN, 10, 2};
	struct alarm_key iso = {ALARM_OFFICE_ISOLATED, 10, 0}, node = {ALARM_NODE_DOWN, 10, 0};

	ck_assert(alarm_shelf_covers(&line, &down));
	ck_assert(!alarm_shelf_covers(&line, &other));
	ck_assert(!alarm_shelf_covers(&line, &iso));
	ck_assert(alarm_shelf_covers(&office, &down));
	ck_assert(alarm_shelf_covers(&office, &other));
	ck_assert(alarm_shelf_covers(&office, &iso));
	ck_assert(!alarm_shelf_covers(&office, &node)); /* node 10 is not office 10 */
	ck_assert(alarm_shelf_covers(&key, &node));
	ck_assert(!alarm_shelf_covers(&key, &iso));
}
END_TEST

START_TEST(put_find_end)
{
	struct alarm_shelves s = {0};
	struct shelf a = {.kind = SHELF_LINE, .key = {0, 10, 1}, .until = 100};
	struct shelf b = {.kind = SHELF_OFFICE, .key = {0, 10, 0}, .until = 200};
	struct alarm_key down = {ALARM_LINE_DOWN, 10, 1};
	struct shelf out;

	ck_assert_ptr_null(alarm_shelf_find(&s, &down, 0));
	ck_assert(alarm_shelf_put(&s, &a));
	ck_assert(alarm_shelf_put(&s, &b));
	ck_assert_int_eq(alarm_shelf_find(&s, &down, 50)->until, 200); /* the later end */
	a.until = 300;
	ck_assert(alarm_shelf_put(&s, &a)); /* same target: replaced */
	ck_assert_uint_eq(s.n, 2);
	ck_assert_int_eq(alarm_shelf_find(&s, &down, 50)->until, 300);
	ck_assert_ptr_null(alarm_shelf_find(&s, &down, 300)); /* ended */
	ck_assert(alarm_shelf_take_ended(&s, 250, &out));
	ck_assert_int_eq(out.kind, SHELF_OFFICE);
	ck_assert(!alarm_shelf_take_ended(&s, 250, &out));
	ck_assert(!alarm_shelf_remove(&s, &b, &out));
	ck_assert(alarm_shelf_remove(&s, &a, &out));
	ck_assert_uint_eq(s.n, 0);
	for (unsigned i = 0; i < ALARM_SHELVES_MAX; i++) {
		struct shelf k = {.kind = SHELF_KEY, .key = {1, i + 1, 1}, .until = 9};
		ck_assert(alarm_shelf_put(&s, &k));
	}
	struct shelf more = {.kind = SHELF_KEY, .key = {1, 99999, 1}};
	ck_assert(!alarm_shelf_put(&s, &more)); /* bounded */
	alarm_shelf_free(&s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("alarm_shelf");
	TCase *tc = tcase_create("alarm_shelf");

	tcase_add_test(tc, texts);
	tcase_add_test(tc, until);
	tcase_add_test(tc, coverage);
	tcase_add_test(tc, put_find_end);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
