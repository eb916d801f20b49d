/*
 * mib_table: one generic handler serves every TSLCD table from its column
 * descriptors.  On GETNEXT we skip rows without a value ourselves
 * (answer_next), so absent values never end a walk early and cost little.
 */
#include "mib_table.h"

#include <arpa/inet.h>
#include <string.h>

#include "grow.h"
#include "log.h"
#include "translit.h"

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

/* Net-SNMP 5.9's AgentX subagent sign-extends request sub-identifiers of
 * 2^31 and above (0x80000000 arrives as 0xffffffff80000000), so a GET of
 * an index >= 2^31 would never match its row and a GETNEXT from one would
 * skip to the next column.  Sub-identifiers are 32-bit on the wire: undo
 * the extension before anything compares them. */
static oid oid32(oid x)
{
	return x & 0xffffffffUL;
}

long mib_table_suffix(const netsnmp_variable_list *vb, const oid *table_oid, size_t len, oid *s)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		oid x = i < vb->name_length ? oid32(vb->name[i]) : 0;
		if (i >= vb->name_length || x < table_oid[i])
			return 0; /* before the table */
		if (x > table_oid[i])
			return -1;
	}
	if (vb->name_length == len || oid32(vb->name[len]) < 1)
		return 0; /* the table itself, or before its entry */
	if (oid32(vb->name[len]) > 1)
		return -1;
	for (size_t i = len + 1; i < vb->name_length && n < MIB_SUFFIX_MAX; i++)
		s[n++] = oid32(vb->name[i]);
	return (long)n;
}

/* ---- rows: one sorted array per table ---- */

/* A row's index against sub-identifiers s[0..k), as snmp_oid_compare()
 * orders OIDs: a prefix comes first. */
static int row_cmp(const struct mib_row *r, unsigned n_index, const oid *s, size_t k)
{
	for (size_t i = 0; i < n_index && i < k; i++)
		if (r->idx[i] != s[i])
			return r->idx[i] < s[i] ? -1 : 1;
	return n_index < k ? -1 : n_index > k;
}

/* The first row at or past (after: past) s[0..k): a binary search over
 * 24-byte rows side by side, a few cache lines per request. */
static size_t row_search(const struct mib_table *t, const oid *s, size_t k, bool after)
{
	size_t lo = 0, hi = t->n_rows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = row_cmp(&t->rows[mid], t->n_index, s, k);
		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void index_oids(const struct mib_table *t, const uint32_t *index, oid *s)
{
	for (unsigned i = 0; i < t->n_index; i++)
		s[i] = index[i];
}

/* The row of the sorted array with index key[0..n_index), removed or
 * not; NULL if none. */
static struct mib_row *row_at(const struct mib_table *t, const oid *key)
{
	size_t at = row_search(t, key, t->n_index, false);

	if (at < t->n_rows && row_cmp(&t->rows[at], t->n_index, key, t->n_index) == 0)
		return &t->rows[at];
	return NULL;
}

/* Two rows in index order. */
static int rows_cmp(const struct mib_table *t, const struct mib_row *a, const struct mib_row *b)
{
	oid key[3];

	index_oids(t, b->idx, key);
	return row_cmp(a, t->n_index, key, t->n_index);
}

static const struct mib_table *sorting; /* qsort() passes no context */

static int row_order(const void *a, const void *b)
{
	return rows_cmp(sorting, a, b);
}

/* Rows removed (obj NULL) leave the array; an index given twice stays
 * once (the callers build rows from a model whose ids are unique: say so
 * if one did not). */
static void rows_compact(struct mib_table *t)
{
	size_t kept = 0, twice = 0;

	for (size_t i = 0; i < t->n_rows; i++) {
		if (!t->rows[i].obj)
			continue;
		if (kept > 0 && rows_cmp(t, &t->rows[kept - 1], &t->rows[i]) == 0) {
			twice++;
			continue;
		}
		t->rows[kept++] = t->rows[i];
	}
	if (twice)
		log_msg(LOG_ERR, "%s: %zu rows with an index given twice are not served", t->name,
		        twice);
	t->n_rows = kept;
	t->n_dead = 0;
}

/* The rows added since the last settle go into the sorted array: sorted
 * among themselves, then merged from the back, in place. */
static int rows_merge(struct mib_table *t)
{
	struct mib_row *rows =
	    grow_array(t->rows, &t->cap_rows, t->n_rows + t->n_pend, sizeof(*t->rows), 16);

	if (!rows) {
		log_msg(LOG_ERR, "out of memory adding %zu rows to %s: not served yet", t->n_pend,
		        t->name);
		return -1;
	}
	t->rows = rows;
	sorting = t;
	qsort(t->pend, t->n_pend, sizeof(*t->pend), row_order);
	for (size_t i = t->n_rows, j = t->n_pend, k = t->n_rows + t->n_pend; j > 0;)
		rows[--k] = i > 0 && rows_cmp(t, &rows[i - 1], &t->pend[j - 1]) > 0 ? rows[--i]
		                                                                    : t->pend[--j];
	t->n_rows += t->n_pend;
	t->n_pend = 0;
	return 0;
}

/* Changes settle before the rows are read, in one pass over the table: a
 * storm that opens an outage on 10,000 lines must not move the whole
 * outage table once per line. */
static void rows_settle(struct mib_table *t)
{
	if (t->n_pend && rows_merge(t) < 0)
		return;
	if (t->n_dead)
		rows_compact(t);
}

const struct mib_row *mib_table_rows(struct mib_table *t, size_t *n)
{
	rows_settle(t);
	*n = t->n_rows;
	return t->rows;
}

/* A row added since the last settle with this index; NULL if none. */
static struct mib_row *pend_find(const struct mib_table *t, const uint32_t *index)
{
	for (size_t i = 0; i < t->n_pend; i++)
		if (!memcmp(t->pend[i].idx, index, t->n_index * sizeof(*index)))
			return &t->pend[i];
	return NULL;
}

static int pend_add(struct mib_table *t, const uint32_t *index, const void *obj)
{
	struct mib_row *pend =
	    grow_array(t->pend, &t->cap_pend, t->n_pend + 1, sizeof(*t->pend), 16);

	if (!pend)
		return -1;
	t->pend = pend;
	pend[t->n_pend] = (struct mib_row){.obj = obj};
	memcpy(pend[t->n_pend].idx, index, t->n_index * sizeof(*index));
	if (++t->n_pend >= MIB_PEND_MAX)
		rows_settle(t); /* pend_find() stays short */
	return 0;
}

int mib_table_set_row(struct mib_table *t, const uint32_t *index, const void *obj)
{
	oid key[3];

	index_oids(t, index, key);
	struct mib_row *r = row_at(t, key);

	if (r) { /* in place: obj NULL marks it removed until the next settle */
		if (r->obj && !obj)
			t->n_dead++;
		else if (!r->obj && obj)
			t->n_dead--;
		r->obj = obj;
		return 0;
	}
	r = pend_find(t, index);
	if (r && obj)
		r->obj = obj;
	else if (r)
		*r = t->pend[--t->n_pend];
	else if (obj)
		return pend_add(t, index, obj);
	return 0;
}

void mib_table_clear(struct mib_table *t)
{
	free(t->rows);
	free(t->pend);
	t->rows = t->pend = NULL;
	t->n_rows = t->cap_rows = t->n_pend = t->cap_pend = t->n_dead = 0;
}

struct mib_row *mib_rows_alloc(const struct mib_table *t, size_t n)
{
	struct mib_row *rows = calloc(n ? n : 1, sizeof(*rows));

	if (!rows)
		log_msg(LOG_ERR,
		        "out of memory rebinding %s: its rows are stale until the next reload",
		        t->name);
	return rows;
}

/* In index order, each index once, none removed: taken as it is. */
static bool rows_clean(const struct mib_table *t, const struct mib_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!rows[i].obj || (i > 0 && rows_cmp(t, &rows[i - 1], &rows[i]) >= 0))
			return false;
	return true;
}

void mib_table_rebind(struct mib_table *t, struct mib_row *rows, size_t n)
{
	mib_table_clear(t);
	t->rows = rows;
	t->n_rows = t->cap_rows = n;
	if (rows_clean(t, rows, n))
		return;
	sorting = t;
	qsort(rows, n, sizeof(*rows), row_order);
	rows_compact(t);
}

size_t mib_table_row_count(const struct mib_table *t)
{
	return t->n_rows - t->n_dead + t->n_pend;
}

/* ---- the handler ---- */

const struct mib_column *mib_column_find(const struct mib_column *cols, size_t n, unsigned num)
{
	/* Columns are listed in order and nearly dense: try the direct slot. */
	if (num >= 1 && num <= n && cols[num - 1].num == num)
		return &cols[num - 1];
	for (size_t i = 0; i < n; i++)
		if (cols[i].num == num)
			return &cols[i];
	return NULL;
}

/* GET: the exact instance.  A column the table does not have is
 * noSuchObject; a row it does not have, or a value not known, is
 * noSuchInstance. */
static void answer_get(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                       const struct mib_table *t, const oid *s, long n)
{
	const struct mib_column *col =
	    n > 0 ? mib_column_find(t->cols, t->n_cols, (unsigned)s[0]) : NULL;
	const struct mib_row *r = n == 1 + (long)t->n_index ? row_at(t, s + 1) : NULL;

	if (!col)
		netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHOBJECT);
	else if (!r || !r->obj)
		netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
	else
		answer(reqinfo, req, col, r->obj);
}

static void set_instance(netsnmp_variable_list *vb, const struct mib_table *t, unsigned col,
                         const struct mib_row *r)
{
	oid name[MAX_OID_LEN];
	size_t len = t->table_oid_len;

	memcpy(name, t->table_oid, len * sizeof(oid));
	name[len++] = 1; /* the entry */
	name[len++] = col;
	index_oids(t, r->idx, name + len);
	snmp_set_var_objid(vb, name, len + t->n_index);
}

/* GETNEXT: the next instance with a value, column by column, rows absent
 * from a column skipped here in one pass (left to Net-SNMP, each would be
 * one more trip through the whole agent); past the last column the
 * request goes on to the next registration. */
static void answer_next(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                        const struct mib_table *t, const oid *s, long n)
{
	for (size_t c = 0; c < t->n_cols; c++) {
		const struct mib_column *col = &t->cols[c];
		struct mib_value v = {0};
		size_t r = 0;
		if (n > 0 && s[0] > col->num)
			continue; /* a column before the request's */
		if (n > 0 && s[0] == col->num)
			r = row_search(t, s + 1, (size_t)n - 1, true);
		for (; r < t->n_rows; r++) {
			if (!t->rows[r].obj || !col->get(t->rows[r].obj, &v))
				continue;
			set_instance(req->requestvb, t, col->num, &t->rows[r]);
			snmp_set_var_typed_value(req->requestvb, col->type, v.ptr, v.len);
			return;
		}
	}
	netsnmp_set_request_error(reqinfo, req, SNMP_ENDOFMIBVIEW);
}

/* Our own handler, not Net-SNMP's table and table_container helpers:
 * they parse every request into index varbinds and data lists (a dozen
 * allocations per varbind) and turn a GETNEXT into a GET, so an absent
 * cell cost a retry through the whole agent. */
static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	struct mib_table *t = handler->myvoid;

	(void)reginfo;
	if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR; /* registered read-only: SETs never get here */
	rows_settle(t);
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		oid s[MIB_SUFFIX_MAX];
		if (req->processed)
			continue;
		long n = mib_table_suffix(req->requestvb, t->table_oid, t->table_oid_len, s);
		if (n < 0)
			netsnmp_set_request_error(reqinfo, req,
			                          reqinfo->mode == MODE_GET ? SNMP_NOSUCHOBJECT
			                                                    : SNMP_ENDOFMIBVIEW);
		else if (reqinfo->mode == MODE_GET)
			answer_get(reqinfo, req, t, s, n);
		else
			answer_next(reqinfo, req, t, s, n);
	}
	return SNMP_ERR_NOERROR;
}

/* Scalars keep Net-SNMP's scalar_group helper; this masks their OIDs. */
static int oid32_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		netsnmp_variable_list *vb = req->requestvb;
		for (size_t i = 0; vb && i < vb->name_length; i++)
			vb->name[i] = oid32(vb->name[i]);
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

/* GETNEXT goes through the columns in array order: it must be the MIB's. */
static bool columns_ascending(const struct mib_column *cols, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cols[i].num <= cols[i - 1].num)
			return false;
	return n > 0;
}

int mib_table_register(struct mib_table *t)
{
	if (!columns_ascending(t->cols, t->n_cols) || t->n_index < 1 || t->n_index > 3) {
		log_msg(LOG_ERR, "cannot register %s: columns out of order or a bad index count",
		        t->name);
		return -1;
	}
	netsnmp_mib_handler *h = netsnmp_create_handler(t->name, table_handler);
	if (!h)
		return -1;
	h->myvoid = t;
	t->reg = netsnmp_handler_registration_create(t->name, h, t->table_oid, t->table_oid_len,
	                                             HANDLER_CAN_RONLY);
	if (!t->reg || netsnmp_register_handler(t->reg) != SNMPERR_SUCCESS) {
		log_msg(LOG_ERR, "cannot register %s", t->name);
		t->reg = NULL; /* netsnmp_register_handler() frees it on failure */
		return -1;
	}
	return 0;
}

void mib_table_unregister(struct mib_table *t)
{
	mib_table_clear(t);
	if (t->reg)
		netsnmp_unregister_handler(t->reg);
	t->reg = NULL;
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
	const struct mib_column *c = mib_column_find(t->cols, t->n_cols, col);
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
		answer(reqinfo, req, mib_column_find(g->cols, g->n_cols, num), NULL);
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
