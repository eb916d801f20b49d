/*
 * mib_table: one generic handler serves every TSLCD table from its column
 * descriptors.  On GETNEXT we skip rows without a value ourselves
 * (answer_next), so absent values never end a walk early and cost little.
 */
#include "mib_table.h"

#include <arpa/inet.h>
#include <string.h>

#include "log.h"
#include "translit.h"

static const struct mib_column *column_find(const struct mib_column *cols, size_t n, unsigned num)
{
	/* Columns are listed in order and nearly dense: try the direct slot. */
	if (num >= 1 && num <= n && cols[num - 1].num == num)
		return &cols[num - 1];
	for (size_t i = 0; i < n; i++)
		if (cols[i].num == num)
			return &cols[i];
	return NULL;
}

static void answer(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                   const struct mib_column *col, const void *obj)
{
	struct mib_value v = {0};

	if (!col || !col->get || !col->get(obj, &v)) {
		netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
		return;
	}
	snmp_set_var_typed_value(req->requestvb, col->type, v.ptr, v.len);
}

/* GETNEXT landed on a row with no value in this column: look further down
 * the column here.  Left to Net-SNMP's sparse-table logic, every such row
 * is one more pass through the whole agent (a few us each), so crossing an
 * empty column of 10,000 lines took tens of milliseconds per request.  An
 * exhausted column answers noSuchObject: the table helper then moves to
 * the next column in one step. */
static void answer_next(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                        const struct mib_table *t, const struct mib_column *col,
                        const struct mib_row *row)
{
	struct mib_value v = {0};
	oid name[MAX_OID_LEN];
	size_t len = t->table_oid_len;

	while (row && !(col && col->get && col->get(row->obj, &v)))
		row = CONTAINER_NEXT(t->rows, row);
	if (!row || len + 2 + row->idx.len > MAX_OID_LEN) {
		netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHOBJECT);
		return;
	}
	memcpy(name, t->table_oid, len * sizeof(oid));
	name[len++] = 1; /* the entry */
	name[len++] = col->num;
	memcpy(name + len, row->idx.oids, row->idx.len * sizeof(oid));
	snmp_set_var_objid(req->requestvb, name, len + row->idx.len);
	snmp_set_var_typed_value(req->requestvb, col->type, v.ptr, v.len);
}

static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct mib_table *t = handler->myvoid;

	(void)reginfo;
	if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR; /* registered read-only: SETs never get here */
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		if (req->processed)
			continue;
		const struct mib_row *row = netsnmp_container_table_row_extract(req);
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(req);
		if (!row || !ti) {
			netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
			continue;
		}
		const struct mib_column *col = column_find(t->cols, t->n_cols, ti->colnum);
		if (reqinfo->mode == MODE_GETNEXT)
			answer_next(reqinfo, req, t, col, row);
		else
			answer(reqinfo, req, col, row->obj);
	}
	return SNMP_ERR_NOERROR;
}

/* Net-SNMP 5.9's AgentX subagent sign-extends request sub-identifiers of
 * 2^31 and above (0x80000000 arrives as 0xffffffff80000000), so a GET of
 * an index >= 2^31 would never match its row and a GETNEXT from one would
 * skip to the next column.  Sub-identifiers are 32-bit on the wire: undo
 * the extension before the table helper parses the index. */
static int oid32_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		netsnmp_variable_list *vb = req->requestvb;
		for (size_t i = 0; vb && i < vb->name_length; i++)
			vb->name[i] &= 0xffffffffUL;
	}
	return netsnmp_call_next_handler(handler, reginfo, reqinfo, requests);
}

static unsigned max_column(const struct mib_column *cols, size_t n)
{
	unsigned m = 0;
	for (size_t i = 0; i < n; i++)
		if (cols[i].num > m)
			m = cols[i].num;
	return m;
}

static unsigned min_column(const struct mib_column *cols, size_t n)
{
	unsigned m = ~0u;
	for (size_t i = 0; i < n; i++)
		if (cols[i].num < m)
			m = cols[i].num;
	return m;
}

int mib_table_register(struct mib_table *t)
{
	netsnmp_table_registration_info *ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	netsnmp_mib_handler *h = netsnmp_create_handler(t->name, table_handler);

	t->rows = netsnmp_container_find("table_container");
	if (!ti || !h || !t->rows)
		return -1;
	t->rows->container_name = strdup(t->name);
	h->myvoid = t;
	t->reg = netsnmp_handler_registration_create(t->name, h, t->table_oid, t->table_oid_len,
	                                             HANDLER_CAN_RONLY);
	if (!t->reg)
		return -1;
	for (unsigned i = 0; i < t->n_index; i++)
		netsnmp_table_helper_add_index(ti, ASN_UNSIGNED);
	ti->min_column = min_column(t->cols, t->n_cols);
	ti->max_column = max_column(t->cols, t->n_cols);
	if (netsnmp_container_table_register(
	        t->reg, ti, t->rows, TABLE_CONTAINER_KEY_NETSNMP_INDEX) != SNMPERR_SUCCESS) {
		log_msg(LOG_ERR, "cannot register %s", t->name);
		return -1;
	}
	netsnmp_inject_handler(t->reg, netsnmp_create_handler("tslcd-oid32", oid32_handler));
	return 0;
}

static void row_free(void *data, void *ctx)
{
	(void)ctx;
	free(data);
}

void mib_table_clear(struct mib_table *t)
{
	if (!t->rows)
		return;
	CONTAINER_CLEAR(t->rows, row_free, NULL);
}

void mib_table_unregister(struct mib_table *t)
{
	mib_table_clear(t);
	if (t->reg)
		netsnmp_unregister_handler(t->reg); /* also frees the container */
	t->reg = NULL;
	t->rows = NULL;
}

static void row_key(struct mib_row *key, const struct mib_table *t, const uint32_t *index)
{
	for (unsigned i = 0; i < t->n_index; i++)
		key->idx_buf[i] = index[i];
	key->idx.oids = key->idx_buf;
	key->idx.len = t->n_index;
}

int mib_table_set_row(struct mib_table *t, const uint32_t *index, const void *obj)
{
	struct mib_row key;
	struct mib_row *row;

	if (!t->rows)
		return -1; /* not registered yet: mib_register_all() binds later */
	row_key(&key, t, index);
	row = CONTAINER_FIND(t->rows, &key);
	if (row && obj) {
		row->obj = obj;
		return 0;
	}
	if (row) {
		CONTAINER_REMOVE(t->rows, row);
		free(row);
		return 0;
	}
	if (!obj)
		return 0;
	row = malloc(sizeof(*row));
	if (!row)
		return -1;
	row_key(row, t, index);
	row->obj = obj;
	if (CONTAINER_INSERT(t->rows, row) != 0) {
		free(row);
		return -1;
	}
	return 0;
}

/* Rows a rebind adds or removes one by one; beyond this the table is
 * refilled: every removal from Net-SNMP's sorted array moves its tail. */
#define REBIND_PIECEMEAL_MAX 256u

static int index_cmp(const struct mib_row *row, const uint32_t *idx, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (row->idx_buf[i] != idx[i])
			return row->idx_buf[i] < idx[i] ? -1 : 1;
	return 0;
}

/* A merge of the table's rows (in order) with the rows to bind. */
struct rebind {
	const struct mib_table *t;
	const struct mib_bind_row *rows;
	size_t n, pos;
	struct mib_row *gone[REBIND_PIECEMEAL_MAX];
	size_t added[REBIND_PIECEMEAL_MAX]; /* positions in rows */
	size_t n_gone, n_new;
};

static void rebind_added(struct rebind *b)
{
	if (b->n_new < REBIND_PIECEMEAL_MAX)
		b->added[b->n_new] = b->pos;
	b->n_new++;
	b->pos++;
}

static void rebind_visit(void *data, void *ctx)
{
	struct mib_row *row = data;
	struct rebind *b = ctx;
	int c = 1;

	while (b->pos < b->n && (c = index_cmp(row, b->rows[b->pos].idx, b->t->n_index)) > 0)
		rebind_added(b);
	if (b->pos < b->n && c == 0) {
		row->obj = b->rows[b->pos++].obj;
		return;
	}
	if (b->n_gone < REBIND_PIECEMEAL_MAX)
		b->gone[b->n_gone] = row;
	b->n_gone++;
}

static bool rows_ordered(const struct mib_table *t, const struct mib_bind_row *rows, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct mib_row prev = {
		    .idx_buf = {rows[i - 1].idx[0], rows[i - 1].idx[1], rows[i - 1].idx[2]}};
		if (index_cmp(&prev, rows[i].idx, t->n_index) >= 0)
			return false;
	}
	return true;
}

static int refill(struct mib_table *t, const struct mib_bind_row *rows, size_t n)
{
	int rc = 0;

	mib_table_clear(t);
	for (size_t i = 0; i < n; i++)
		if (mib_table_set_row(t, rows[i].idx, rows[i].obj) < 0)
			rc = -1;
	return rc;
}

struct mib_bind_row *mib_bind_rows_alloc(const struct mib_table *t, size_t n)
{
	struct mib_bind_row *rows = calloc(n ? n : 1, sizeof(*rows));

	if (!rows)
		log_msg(LOG_ERR,
		        "out of memory rebinding %s: its rows are stale until the next reload",
		        t->name);
	return rows;
}

int mib_table_rebind(struct mib_table *t, const struct mib_bind_row *rows, size_t n)
{
	struct rebind b = {.t = t, .rows = rows, .n = n};
	int rc = 0;

	if (!t->rows)
		return -1;
	if (!rows_ordered(t, rows, n)) /* the merge needs them in order */
		return refill(t, rows, n);
	CONTAINER_FOR_EACH(t->rows, rebind_visit, &b);
	while (b.pos < b.n)
		rebind_added(&b);
	if (b.n_gone + b.n_new > REBIND_PIECEMEAL_MAX)
		return refill(t, rows, n);
	for (size_t i = 0; i < b.n_gone; i++) {
		CONTAINER_REMOVE(t->rows, b.gone[i]);
		free(b.gone[i]);
	}
	for (size_t i = 0; i < b.n_new; i++)
		if (mib_table_set_row(t, rows[b.added[i]].idx, rows[b.added[i]].obj) < 0)
			rc = -1;
	return rc;
}

size_t mib_table_row_count(const struct mib_table *t)
{
	return t->rows ? CONTAINER_SIZE(t->rows) : 0;
}

/* "" or 0, typed as the column is. */
static void empty_value(u_char type, struct mib_value *v)
{
	*v = (struct mib_value){0};
	if (type == ASN_OCTET_STR)
		mib_set_str(v, "");
	else if (type == ASN_COUNTER64)
		mib_set_u64(v, 0);
	else
		mib_set_int(v, 0);
}

bool mib_table_column_vb(netsnmp_variable_list **vars, const struct mib_table *t,
                         const uint32_t *index, const void *obj, unsigned col)
{
	const struct mib_column *c = column_find(t->cols, t->n_cols, col);
	struct mib_value v = {0};
	oid name[MAX_OID_LEN];
	size_t len = t->table_oid_len;

	if (!c || len + 2 + t->n_index > MAX_OID_LEN)
		return false;
	memcpy(name, t->table_oid, len * sizeof(oid));
	name[len++] = 1; /* the entry */
	name[len++] = col;
	for (unsigned i = 0; i < t->n_index; i++)
		name[len++] = index[i];
	if (!obj || !c->get || !c->get(obj, &v))
		empty_value(c->type, &v);
	return snmp_varlist_add_variable(vars, name, len, c->type, v.ptr, v.len) != NULL;
}

/* ---- scalars ---- */

struct scalar_group {
	const struct mib_column *cols;
	size_t n_cols;
	size_t branch_len;
};

static int scalar_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                          netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct scalar_group *g = handler->myvoid;

	(void)reginfo;
	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		if (req->processed)
			continue;
		const netsnmp_variable_list *vb = req->requestvb;
		unsigned num =
		    vb->name_length > g->branch_len ? (unsigned)vb->name[g->branch_len] : 0;
		answer(reqinfo, req, column_find(g->cols, g->n_cols, num), NULL);
	}
	return SNMP_ERR_NOERROR;
}

int mib_scalars_register(const char *name, const oid *branch, size_t len,
                         const struct mib_column *cols, size_t n_cols)
{
	struct scalar_group *g = calloc(1, sizeof(*g));
	netsnmp_mib_handler *h = netsnmp_create_handler(name, scalar_handler);

	if (!g || !h)
		return -1;
	*g = (struct scalar_group){.cols = cols, .n_cols = n_cols, .branch_len = len};
	h->myvoid = g;
	h->data_free = free;
	netsnmp_handler_registration *reg =
	    netsnmp_handler_registration_create(name, h, branch, len, HANDLER_CAN_RONLY);
	if (!reg)
		return -1;
	if (netsnmp_register_scalar_group(reg, min_column(cols, n_cols),
	                                  max_column(cols, n_cols)) != SNMPERR_SUCCESS)
		return -1;
	netsnmp_inject_handler(reg, netsnmp_create_handler("tslcd-oid32", oid32_handler));
	return 0;
}

/* ---- --dump-oids ---- */

static void dump_oid(FILE *out, const char *name, const oid *base, size_t len, unsigned entry,
                     unsigned col)
{
	fprintf(out, "%s ", name);
	for (size_t i = 0; i < len; i++)
		fprintf(out, ".%lu", (unsigned long)base[i]);
	if (entry)
		fprintf(out, ".%u", entry);
	fprintf(out, ".%u\n", col);
}

void mib_dump_table_oids(FILE *out, const struct mib_table *t)
{
	for (size_t i = 0; i < t->n_cols; i++)
		dump_oid(out, t->cols[i].name, t->table_oid, t->table_oid_len, 1, t->cols[i].num);
}

void mib_dump_scalar_oids(FILE *out, const oid *branch, size_t len, const struct mib_column *cols,
                          size_t n_cols)
{
	for (size_t i = 0; i < n_cols; i++)
		dump_oid(out, cols[i].name, branch, len, 0, cols[i].num);
}

/* ---- value helpers ---- */

bool mib_set_u32(struct mib_value *v, uint32_t x)
{
	/* Net-SNMP reads ASN_UNSIGNED/INTEGER values as a long. */
	v->buf.l = (long)x;
	v->ptr = &v->buf.l;
	v->len = sizeof(v->buf.l);
	return true;
}

bool mib_set_int(struct mib_value *v, long x)
{
	v->buf.l = x;
	v->ptr = &v->buf.l;
	v->len = sizeof(v->buf.l);
	return true;
}

bool mib_set_u64(struct mib_value *v, uint64_t x)
{
	v->buf.c64.high = (u_long)(x >> 32);
	v->buf.c64.low = (u_long)(x & 0xffffffffu);
	v->ptr = &v->buf.c64;
	v->len = sizeof(v->buf.c64);
	return true;
}

bool mib_set_str(struct mib_value *v, const char *s)
{
	v->ptr = s ? s : "";
	v->len = s ? strlen(s) : 0;
	return true;
}

bool mib_set_bytes(struct mib_value *v, const void *p, size_t len)
{
	v->ptr = p;
	v->len = len;
	return true;
}

/* Tools compare whole numbers: 999500 ppm reads as 9995 (99.95 %, hint
 * "d-2").  Truncated, so 99.999 % never shows as 100.00. */
bool mib_ppm_to_pct100(bool known, struct mib_value *v)
{
	return known && mib_set_u32(v, v->buf.u32 / 100u);
}

/* Dotted (IPv4) or colon (IPv6) text of a 4- or 16-octet address, for
 * tools that render every OCTET STRING as hex or as a MAC address. */
bool mib_set_addr_text(struct mib_value *v, const void *bin, size_t len)
{
	static char text[INET6_ADDRSTRLEN];
	int af = len == 4 ? AF_INET : len == 16 ? AF_INET6 : AF_UNSPEC;
	if (af == AF_UNSPEC || !inet_ntop(af, bin, text, sizeof(text)))
		return mib_set_str(v, "");
	return mib_set_str(v, text);
}

/* UTF-8 text with diacritics folded to ASCII (the value is copied by the
 * caller before the next getter runs, so one buffer serves every call). */
bool mib_set_ascii(struct mib_value *v, const char *utf8)
{
	static char text[256];
	return mib_set_str(v, translit_ascii(utf8, text, sizeof(text)));
}

bool mib_set_datetime(struct mib_value *v, time_t t)
{
	struct tm tm;
	uint8_t *b = v->buf.bytes;

	if (t <= 0 || !localtime_r(&t, &tm))
		return false;
	long off = tm.tm_gmtoff;
	unsigned year = (unsigned)tm.tm_year + 1900;
	b[0] = (uint8_t)(year >> 8);
	b[1] = (uint8_t)year;
	b[2] = (uint8_t)(tm.tm_mon + 1);
	b[3] = (uint8_t)tm.tm_mday;
	b[4] = (uint8_t)tm.tm_hour;
	b[5] = (uint8_t)tm.tm_min;
	b[6] = (uint8_t)(tm.tm_sec > 59 ? 59 : tm.tm_sec);
	b[7] = 0;
	b[8] = off < 0 ? '-' : '+';
	off = off < 0 ? -off : off;
	b[9] = (uint8_t)(off / 3600);
	b[10] = (uint8_t)(off % 3600 / 60);
	return mib_set_bytes(v, b, 11);
}
