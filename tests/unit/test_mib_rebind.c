/*
 * mib_table_rebind: a reload's rows replace a table's in place.  Rows both
 * sets have keep their container entry and take the new object; the
 * others are added or removed one by one, or, past a few hundred changes
 * or given out of order, the table is refilled.  Either way the table
 * holds exactly the new rows, in index order.
 */
#include "unit.h"

#include "mib_table.h"

static bool get_none(const void *obj, struct mib_value *v)
{
	(void)obj, (void)v;
	return false;
}

static const struct mib_column cols[] = {{1, "c", ASN_INTEGER, get_none}};
static const oid table_oid[] = {1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 99};
static struct mib_table table = {.name = "testTable",
                                 .table_oid = table_oid,
                                 .table_oid_len = OID_LENGTH(table_oid),
                                 .n_index = 2,
                                 .cols = cols,
                                 .n_cols = 1};
static int objs[1000];

static void setup(void)
{
	netsnmp_container_init_list();
	table.rows = netsnmp_container_find("table_container");
	ck_assert_ptr_nonnull(table.rows);
}

static void teardown(void)
{
	mib_table_clear(&table);
	CONTAINER_FREE(table.rows);
	table.rows = NULL;
}

/* The table holds exactly rows[0..n), in this order. */
static void expect_rows(const struct mib_bind_row *rows, size_t n)
{
	ck_assert_uint_eq(mib_table_row_count(&table), n);
	const struct mib_row *r = CONTAINER_FIRST(table.rows);
	for (size_t i = 0; i < n; i++, r = CONTAINER_NEXT(table.rows, r)) {
		ck_assert_ptr_nonnull(r);
		ck_assert_uint_eq(r->idx.oids[0], rows[i].idx[0]);
		ck_assert_uint_eq(r->idx.oids[1], rows[i].idx[1]);
		ck_assert_ptr_eq(r->obj, rows[i].obj);
	}
	ck_assert_ptr_null(r);
}

START_TEST(kept_rows_change_object_in_place)
{
	const struct mib_bind_row a[] = {
	    {{1, 1}, &objs[0]}, {{1, 2}, &objs[1]}, {{2, 1}, &objs[2]}, {{7, 3}, &objs[3]}};
	ck_assert_int_eq(mib_table_rebind(&table, a, 4), 0);
	expect_rows(a, 4);
	struct mib_row key = {.idx = {.oids = key.idx_buf, .len = 2}, .idx_buf = {2, 1}};
	const struct mib_row *kept = CONTAINER_FIND(table.rows, &key);

	/* 1.2 and 7.3 go, 1.3 and 9.9 come, 1.1 and 2.1 stay */
	const struct mib_bind_row b[] = {
	    {{1, 1}, &objs[10]}, {{1, 3}, &objs[11]}, {{2, 1}, &objs[12]}, {{9, 9}, &objs[13]}};
	ck_assert_int_eq(mib_table_rebind(&table, b, 4), 0);
	expect_rows(b, 4);
	ck_assert_ptr_eq(CONTAINER_FIND(table.rows, &key), kept); /* the same entry */

	ck_assert_int_eq(mib_table_rebind(&table, NULL, 0), 0);
	expect_rows(NULL, 0);
}
END_TEST

START_TEST(many_changes_refill)
{
	static struct mib_bind_row rows[1000];
	for (uint32_t i = 0; i < 1000; i++)
		rows[i] = (struct mib_bind_row){{i / 10 + 1, i % 10 + 1}, &objs[i]};
	ck_assert_int_eq(mib_table_rebind(&table, rows, 500), 0);
	expect_rows(rows, 500);
	ck_assert_int_eq(mib_table_rebind(&table, rows + 200, 800), 0); /* 700 changes */
	expect_rows(rows + 200, 800);
}
END_TEST

START_TEST(rows_out_of_order_refill)
{
	const struct mib_bind_row sorted[] = {
	    {{1, 1}, &objs[0]}, {{1, 2}, &objs[1]}, {{3, 1}, &objs[2]}};
	const struct mib_bind_row shuffled[] = {sorted[2], sorted[0], sorted[1]};
	ck_assert_int_eq(mib_table_rebind(&table, shuffled, 3), 0);
	expect_rows(sorted, 3);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mib_rebind");
	TCase *tc = tcase_create("mib_rebind");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kept_rows_change_object_in_place);
	tcase_add_test(tc, many_changes_refill);
	tcase_add_test(tc, rows_out_of_order_refill);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
