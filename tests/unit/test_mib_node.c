/*
 * mib_node: the tslcdNodeTable descriptor as notifications use it
 * (mib_table_column_vb): instance OIDs under tslcdObjects 9, typed values
 * read from a struct node, and the derived columns (targets up, the
 * status of a node not judged yet).
 */
#include "unit.h"
#include <string.h>

#include "mib.h"

static const oid node_entry[] = {TSLCD_OID_NODE_TABLE, 1};

struct fixture {
	struct node_cfg cfg;
	struct ref_target targets[3];
	struct node node;
};

static void fixture_init(struct fixture *f)
{
	static char name[] = "VNPT Tu Son aggregation";
	static const uint8_t states[3] = {LINE_UP, LINE_DEGRADED, LINE_DOWN};

	memset(f, 0, sizeof(*f));
	f->cfg.id = 10;
	f->cfg.name = name;
	f->cfg.carrier = 2; /* vnpt */
	f->cfg.parent = 3;
	for (size_t i = 0; i < 3; i++) {
		f->targets[i].node = &f->node;
		f->targets[i].ls.reported = states[i];
	}
	f->node.cfg = &f->cfg;
	f->node.targets = f->targets;
	f->node.n_targets = 3;
	f->node.status = NODE_DOWN;
	f->node.offices_behind = 40;
	f->node.lines_behind = 52;
	f->node.offices_affected = 39;
	f->node.lines_affected = 51;
}

/* One column of node 10 as a notification would carry it. */
static netsnmp_variable_list *column(const struct fixture *f, unsigned col)
{
	netsnmp_variable_list *vars = NULL;
	ck_assert(mib_table_column_vb(&vars, mib_node_table(), &f->cfg.id, &f->node, col));
	ck_assert_ptr_nonnull(vars);
	return vars;
}

static void expect_oid(const netsnmp_variable_list *v, unsigned col)
{
	oid want[MAX_OID_LEN];
	size_t len = OID_LENGTH(node_entry);

	memcpy(want, node_entry, sizeof(node_entry));
	want[len++] = col;
	want[len++] = 10;
	ck_assert_int_eq(snmp_oid_compare(v->name, v->name_length, want, len), 0);
}

static long int_column(const struct fixture *f, unsigned col, u_char type)
{
	netsnmp_variable_list *v = column(f, col);
	long x;

	expect_oid(v, col);
	ck_assert_int_eq(v->type, type);
	x = *v->val.integer;
	snmp_free_varbind(v);
	return x;
}

START_TEST(descriptor_is_the_node_table)
{
	const struct mib_table *t = mib_node_table();

	ck_assert_str_eq(t->name, "tslcdNodeTable");
	ck_assert_uint_eq(t->n_index, 1);
	ck_assert_int_eq(snmp_oid_compare(t->table_oid, t->table_oid_len, node_entry,
	                                  OID_LENGTH(node_entry) - 1),
	                 0);
}
END_TEST

START_TEST(columns_read_the_node)
{
	struct fixture f;
	netsnmp_variable_list *v;

	fixture_init(&f);
	v = column(&f, 2);
	expect_oid(v, 2);
	ck_assert_int_eq(v->type, ASN_OCTET_STR);
	ck_assert_uint_eq(v->val_len, strlen(f.cfg.name));
	ck_assert(!memcmp(v->val.string, f.cfg.name, v->val_len));
	snmp_free_varbind(v);

	ck_assert_int_eq(int_column(&f, 3, ASN_INTEGER), 2);
	ck_assert_int_eq(int_column(&f, 4, ASN_UNSIGNED), 3);
	ck_assert_int_eq(int_column(&f, 5, ASN_INTEGER), NODE_DOWN);
	ck_assert_int_eq(int_column(&f, 7, ASN_UNSIGNED), 3);
	ck_assert_int_eq(int_column(&f, 9, ASN_UNSIGNED), 40);
	ck_assert_int_eq(int_column(&f, 10, ASN_UNSIGNED), 52);
	ck_assert_int_eq(int_column(&f, 11, ASN_GAUGE), 39);
	ck_assert_int_eq(int_column(&f, 12, ASN_GAUGE), 51);
}
END_TEST

/* Up and degraded targets answer; down ones do not. */
START_TEST(targets_up_counts_up_and_degraded)
{
	struct fixture f;

	fixture_init(&f);
	ck_assert_int_eq(int_column(&f, 8, ASN_GAUGE), 2);
	f.targets[0].ls.reported = LINE_UNKNOWN;
	ck_assert_int_eq(int_column(&f, 8, ASN_GAUGE), 1);
}
END_TEST

/* A node the model has not judged yet (status 0) reads unknown(1), never
 * an invalid enumeration. */
START_TEST(unjudged_node_is_unknown)
{
	struct fixture f;

	fixture_init(&f);
	f.node.status = 0;
	ck_assert_int_eq(int_column(&f, 5, ASN_INTEGER), NODE_UNKNOWN);
}
END_TEST

/* No availability data yet: absent, so a notification carries the typed
 * empty value; a column the table lacks is refused. */
START_TEST(absent_and_unknown_columns)
{
	struct fixture f;
	netsnmp_variable_list *vars = NULL;

	fixture_init(&f);
	ck_assert_int_eq(int_column(&f, 13, ASN_UNSIGNED), 0);
	ck_assert_int_eq(int_column(&f, 14, ASN_UNSIGNED), 0);
	ck_assert(!mib_table_column_vb(&vars, mib_node_table(), &f.cfg.id, &f.node, 15));
	ck_assert(!mib_table_column_vb(&vars, mib_node_table(), &f.cfg.id, &f.node, 1));
	ck_assert_ptr_null(vars);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mib_node");
	TCase *tc = tcase_create("mib_node");

	tcase_add_test(tc, descriptor_is_the_node_table);
	tcase_add_test(tc, columns_read_the_node);
	tcase_add_test(tc, targets_up_counts_up_and_degraded);
	tcase_add_test(tc, unjudged_node_is_unknown);
	tcase_add_test(tc, absent_and_unknown_columns);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(suite)
