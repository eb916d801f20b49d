/*
 * The alarm log rings with no Net-SNMP: the newest N are kept in order,
 * the observer hears every eviction before the insertion that caused it
 * (so a MIB table never points at a reused slot), a resize keeps the
 * newest records, and capacity 0 keeps nothing.
 */
#include "unit.h"
#include <stdio.h>
#include <string.h>

#include "alarmlog.h"

/* What the observer saw: +seq / -seq, in order. */
static long seen[64];
static size_t n_seen;
static size_t live; /* rows a table would hold */

static void observe(enum alarmlog_ring ring, const void *e, bool present)
{
	uint32_t key = ring == ALARMLOG_NOTIFY ? ((const struct notelog_entry *)e)->seq
	                                       : ((const struct cleared_entry *)e)->index;
	if (n_seen < 64)
		seen[n_seen++] = present ? (long)key : -(long)key;
	live = present ? live + 1 : live - 1;
}

static void setup(void)
{
	alarmlog_reset();
	alarmlog_set_observer(observe);
	n_seen = live = 0;
}

static void note(uint32_t seq)
{
	struct notelog_entry e = {.seq = seq, .type = 1, .fate = FATE_SENT};
	snprintf(e.text, sizeof(e.text), "n%u", seq);
	ck_assert_ptr_nonnull(alarmlog_note(&e));
}

static uint32_t seq_at(size_t i)
{
	const struct notelog_entry *e = alarmlog_at(ALARMLOG_NOTIFY, i);
	return e ? e->seq : 0;
}

START_TEST(keeps_newest_in_order)
{
	setup();
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 3));
	for (uint32_t s = 1; s <= 5; s++)
		note(s);
	ck_assert_uint_eq(alarmlog_count(ALARMLOG_NOTIFY), 3);
	ck_assert_uint_eq(seq_at(0), 3);
	ck_assert_uint_eq(seq_at(1), 4);
	ck_assert_uint_eq(seq_at(2), 5);
	ck_assert_ptr_null(alarmlog_at(ALARMLOG_NOTIFY, 3));
	ck_assert_str_eq(((const struct notelog_entry *)alarmlog_at(ALARMLOG_NOTIFY, 2))->text,
	                 "n5");
	/* 1 2 3 enter; 4 evicts 1 first, 5 evicts 2 first. */
	long want[] = {1, 2, 3, -1, 4, -2, 5};
	ck_assert_uint_eq(n_seen, 7);
	for (size_t i = 0; i < 7; i++)
		ck_assert_int_eq(seen[i], want[i]);
	ck_assert_uint_eq(live, 3);
}
END_TEST

START_TEST(resize_keeps_newest)
{
	setup();
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 4));
	for (uint32_t s = 1; s <= 6; s++)
		note(s);
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 2));
	ck_assert_uint_eq(alarmlog_count(ALARMLOG_NOTIFY), 2);
	ck_assert_uint_eq(seq_at(0), 5);
	ck_assert_uint_eq(seq_at(1), 6);
	ck_assert_uint_eq(live, 2);
	note(7);
	ck_assert_uint_eq(seq_at(0), 6);
	ck_assert_uint_eq(seq_at(1), 7);
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 10)); /* growing keeps all */
	ck_assert_uint_eq(alarmlog_count(ALARMLOG_NOTIFY), 2);
	note(8);
	ck_assert_uint_eq(seq_at(2), 8);
	ck_assert_uint_eq(live, 3);
}
END_TEST

START_TEST(off_keeps_nothing)
{
	setup();
	struct notelog_entry e = {.seq = 1};
	ck_assert_ptr_null(alarmlog_note(&e));
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 2));
	note(1);
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 0));
	ck_assert_uint_eq(alarmlog_count(ALARMLOG_NOTIFY), 0);
	ck_assert_uint_eq(live, 0);
	ck_assert_ptr_null(alarmlog_note(&e));
}
END_TEST

START_TEST(cleared_indices_run_on)
{
	setup();
	ck_assert(alarmlog_resize(ALARMLOG_CLEARED, 2));
	struct cleared_entry c = {.alarm_id = 9, .index = 77};
	memset(c.text, 'x', sizeof(c.text)); /* not terminated: the copy is */
	const struct cleared_entry *a = alarmlog_cleared(&c);
	ck_assert_uint_eq(a->index, 1);
	ck_assert_uint_eq(strlen(a->text), sizeof(a->text) - 1);
	alarmlog_cleared_resume(40);
	ck_assert_uint_eq(alarmlog_cleared(&c)->index, 41);
	alarmlog_cleared_resume(5); /* never backwards */
	ck_assert_uint_eq(alarmlog_cleared(&c)->index, 42);
	ck_assert_uint_eq(alarmlog_cleared_last(), 42);
	ck_assert_uint_eq(alarmlog_count(ALARMLOG_CLEARED), 2);
	ck_assert_uint_eq(((const struct cleared_entry *)alarmlog_at(ALARMLOG_CLEARED, 0))->index,
	                  41);
}
END_TEST

START_TEST(cleared_restore_keeps_index)
{
	setup();
	ck_assert(alarmlog_resize(ALARMLOG_CLEARED, 4));
	struct cleared_entry c = {.alarm_id = 5, .index = 70};
	ck_assert_uint_eq(alarmlog_cleared_restore(&c)->index, 70);
	c.index = 72;
	ck_assert_uint_eq(alarmlog_cleared_restore(&c)->index, 72);
	ck_assert_uint_eq(alarmlog_cleared(&c)->index, 73); /* carries on */
	ck_assert_uint_eq(live, 3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("alarmlog");
	TCase *tc = tcase_create("alarmlog");

	tcase_add_test(tc, keeps_newest_in_order);
	tcase_add_test(tc, resize_keeps_newest);
	tcase_add_test(tc, off_keeps_nothing);
	tcase_add_test(tc, cleared_indices_run_on);
	tcase_add_test(tc, cleared_restore_keeps_index);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
