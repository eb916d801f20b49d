/*
 * mib_table: descriptor-driven serving of TSLCD-MIB tables and scalars.
 *
 * Contract: TSLCD-MIB.txt alone says a column's number, descriptor and ASN
 * type (MIB_COLUMN below); a MIB module adds one getter per column, named
 * after the descriptor.  That one description drives registration,
 * GET/GETNEXT answers and `--dump-oids`.  A table's rows are one array sorted
 * by index (a binary search per request, 24 bytes a row), served by our own
 * handler; a GETNEXT skips absent cells itself.  A getter returns false when the value is not
 * known, and the agent answers noSuchInstance (walks skip it) instead of inventing a 0. Getters
 * only read; they never block, allocate or do I/O.
 */
#ifndef TSLCD_MIB_TABLE_H
#define TSLCD_MIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

struct mib_value {
	const void *ptr; /* points into buf, or at data that outlives the request */
	size_t len;
	union {
		uint32_t u32;
		int32_t i32;
		long l;
		struct counter64 c64;
		uint8_t bytes[16];
	} buf;
};

typedef bool (*mib_getter)(const void *obj, struct mib_value *v);

/*
 * MIB_GETTER(fn, decl, expr): a column getter named fn.  decl names the row
 * object from `p` (e.g. `const struct line *l = p`; empty for scalars), expr
 * is the result, usually one mib_set_*() call.  Every MIB module writes
 * dozens of one-line getters; they share this one definition (each module
 * only says what its row is) rather than a copy of the function body each.
 */
#define MIB_GETTER(fn, decl, expr)                                                                 \
	static bool fn(const void *p, struct mib_value *v)                                         \
	{                                                                                          \
		decl;                                                                              \
		(void)p;                                                                           \
		return expr;                                                                       \
	}

/* A row: its index (n_index values) and the model object the getters read. */
struct mib_row {
	uint32_t idx[3];
	const void *obj;
};

struct mib_column {
	unsigned num;
	const char *name;
	u_char type; /* ASN_INTEGER, ASN_UNSIGNED, ASN_OCTET_STR, ASN_COUNTER64, ... */
	mib_getter get;
};

/*
 * MIB_COLUMN(num, name, type): one element of a column array.  Build the
 * array from the X-macro the build generates from the MIB (mibs/gen-columns.py
 * writes $(BUILD)/gen/mib_columns.h), so no module restates the MIB:
 *
 *   static const struct mib_column node_cols[] = {TSLCD_COLUMNS_tslcdNodeEntry(MIB_COLUMN)};
 *
 * The getter is the static function named like the descriptor (e.g.
 * tslcdNodeName); a column without one does not compile.
 */
#define MIB_COLUMN(num, name, type) {num, #name, type, name},

struct mib_table {
	const char *name; /* e.g. "tslcdLineTable" */
	const oid *table_oid;
	size_t table_oid_len;
	unsigned n_index; /* all indices are Unsigned32 */
	const struct mib_column *cols;
	size_t n_cols;
	/* runtime */
	struct mib_row *rows; /* sorted by index; obj NULL: removed, until settled */
	size_t n_rows, cap_rows, n_dead;
	struct mib_row *pend; /* added since the last settle, in no order */
	size_t n_pend, cap_pend;
	netsnmp_handler_registration *reg;
};

/* The column numbered num of cols[0..n) (listed in MIB order), or NULL. */
const struct mib_column *mib_column_find(const struct mib_column *cols, size_t n, unsigned num);

/* The number of entries of a column array. */
#define MIB_N_COLS(cols) (sizeof(cols) / sizeof((cols)[0]))

/*
 * MIB_TABLE(var, mib_name, oid_list, index_count, cols): the descriptor
 * `var` of the table at oid_list (a TSLCD_OID_* macro) with the column
 * array cols.  The lengths are computed here, so no module restates them
 * and the descriptors of every table read alike.
 */
#define MIB_TABLE(var, mib_name, oid_list, index_count, columns)                                   \
	static const oid var##_oid[] = {oid_list};                                                 \
	static struct mib_table var = {                                                            \
	    .name = mib_name,                                                                      \
	    .table_oid = var##_oid,                                                                \
	    .table_oid_len = OID_LENGTH(var##_oid),                                                \
	    .n_index = index_count,                                                                \
	    .cols = columns,                                                                       \
	    .n_cols = MIB_N_COLS(columns),                                                         \
	}

int mib_table_register(struct mib_table *t);
void mib_table_unregister(struct mib_table *t);
/* Replace or add the row for the given index; obj NULL removes it.  Rows
 * may be set before the table is registered.  Changes settle into the
 * sorted array before the next request reads it (or after MIB_PEND_MAX
 * additions), in one pass however many there were.  0, or -1 out of
 * memory. */
#define MIB_PEND_MAX 256
int mib_table_set_row(struct mib_table *t, const uint32_t *index, const void *obj);
void mib_table_clear(struct mib_table *t);

/* Room for n rows to rebind (never NULL for n 0: rebinding none clears
 * the table); NULL out of memory, logged with the table's name. */
struct mib_row *mib_rows_alloc(const struct mib_table *t, size_t n);
/* Make rows[0..n) (from mib_rows_alloc) the table's rows; the table takes
 * the array.  In index order it is taken as it is (a reload of 133k lines
 * costs one pass); otherwise it is sorted, and an index given twice is
 * served once and logged. */
void mib_table_rebind(struct mib_table *t, struct mib_row *rows, size_t n);
size_t mib_table_row_count(const struct mib_table *t);
/* The rows in index order, changes settled; *n of them. */
const struct mib_row *mib_table_rows(struct mib_table *t, size_t *n);
/* Append to vars what a GET of column col of the row (index, obj) answers:
 * the instance OID and the typed value.  A notification must carry every
 * object it names, so a value not known (or obj NULL) goes out as the
 * empty value of the column's type; false only for an unknown column. */
bool mib_table_column_vb(netsnmp_variable_list **vars, const struct mib_table *t,
                         const uint32_t *index, const void *obj, unsigned col);

/* The sub-identifiers of a request after table.1 (the column, then the
 * index and whatever follows, at most MIB_SUFFIX_MAX of them, each cut to
 * 32 bits as the wire has them): 0 when the request lies before the entry
 * (a GETNEXT starts at the top), -1 past it.  Shared by every table
 * handler, the interval table's included. */
#define MIB_SUFFIX_MAX 8
long mib_table_suffix(const netsnmp_variable_list *vb, const oid *table_oid, size_t len, oid *s);

/* Scalars under one branch: column number = sub-identifier, instance .0 */
int mib_scalars_register(const char *name, const oid *branch, size_t len,
                         const struct mib_column *cols, size_t n_cols);

/* Prints "NAME .1.3.6...." for every column of a table/scalar group. */
void mib_dump_table_oids(FILE *out, const struct mib_table *t);
void mib_dump_scalar_oids(FILE *out, const oid *branch, size_t len, const struct mib_column *cols,
                          size_t n_cols);

/* Value helpers for getters. */
bool mib_set_u32(struct mib_value *v, uint32_t x);
bool mib_set_int(struct mib_value *v, long x);
bool mib_set_u64(struct mib_value *v, uint64_t x);
bool mib_set_str(struct mib_value *v, const char *s);
bool mib_set_bytes(struct mib_value *v, const void *p, size_t len);
/* Twins for generic tools: ppm already in v -> hundredths of a percent;
 * an address as text; UTF-8 folded to ASCII. */
bool mib_ppm_to_pct100(bool known, struct mib_value *v);
bool mib_set_addr_text(struct mib_value *v, const void *bin, size_t len);
bool mib_set_ascii(struct mib_value *v, const char *utf8);
/* DateAndTime in local time with UTC offset; t <= 0 means absent. */
bool mib_set_datetime(struct mib_value *v, time_t t);

#endif
