/*
 * mib_interval: tslcdIntervals — the length and count scalars and
 * tslcdIntervalTable, indexed by (office id, line id, interval number).
 *
 * 10,000 lines hold 960,000 intervals: a container row each would cost
 * more memory than the intervals themselves.  So this table has its own
 * handler: the rows are virtual, found from the model's sorted offices and
 * lines (binary search) and each line's ring, and the interval number is
 * recomputed at every request (1 is always the newest closed interval).
 * The columns are the same mib_column descriptors the other tables use.
 */
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */

#include <string.h>

/* What a getter sees: one interval of one line. */
struct iv_row {
	const struct line *line;
	const struct interval_rec *rec;
	time_t start;
};

#define IV_GETTER(fn, call)                                                                        \
	MIB_GETTER(fn, const struct iv_row *x = p; const struct interval_rec *r = x->rec;          \
	           (void)r, call)

static bool rtt_us(const struct interval_rec *r, uint16_t units, struct mib_value *v)
{
	return r->answered && mib_set_u32(v, (uint32_t)units * INTERVAL_RTT_UNIT_US);
}

static bool loss(const struct interval_rec *r, struct mib_value *v)
{
	uint32_t ppm;
	return interval_loss_ppm(r, &ppm) && mib_set_u32(v, ppm);
}

/* BITS: reason n is bit n counted from the first octet's high bit. */
static bool reasons(const struct interval_rec *r, struct mib_value *v)
{
	uint8_t b = 0;

	for (unsigned i = 0; i < 8; i++)
		if (r->suspect & (1u << i))
			b |= (uint8_t)(0x80u >> i);
	v->buf.bytes[0] = b;
	return mib_set_bytes(v, v->buf.bytes, 1);
}

IV_GETTER(tslcdIntervalStart, mib_set_datetime(v, x->start))
IV_GETTER(tslcdIntervalUpSeconds, mib_set_u32(v, interval_secs(r, IV_UP)))
IV_GETTER(tslcdIntervalDegradedSeconds, mib_set_u32(v, interval_secs(r, IV_DEGRADED)))
IV_GETTER(tslcdIntervalDownSeconds, mib_set_u32(v, interval_secs(r, IV_DOWN)))
IV_GETTER(tslcdIntervalMaintSeconds, mib_set_u32(v, interval_secs(r, IV_MAINT)))
IV_GETTER(tslcdIntervalUnknownSeconds, mib_set_u32(v, interval_unknown_s(&x->line->iv, r)))
IV_GETTER(tslcdIntervalProbesSent, mib_set_u32(v, r->sent))
IV_GETTER(tslcdIntervalProbesAnswered, mib_set_u32(v, r->answered))
IV_GETTER(tslcdIntervalRttMin, rtt_us(r, r->rtt_min, v))
IV_GETTER(tslcdIntervalRttAvg, rtt_us(r, r->rtt_avg, v))
IV_GETTER(tslcdIntervalRttMax, rtt_us(r, r->rtt_max, v))
IV_GETTER(tslcdIntervalRttP95, rtt_us(r, r->rtt_p95, v))
IV_GETTER(tslcdIntervalLoss, loss(r, v))
IV_GETTER(tslcdIntervalInBps, r->has_rate &&mib_set_u64(v, interval_rate_decode(r->rate[0])))
IV_GETTER(tslcdIntervalOutBps, r->has_rate &&mib_set_u64(v, interval_rate_decode(r->rate[1])))
IV_GETTER(tslcdIntervalSuspect, mib_set_int(v, r->suspect ? 1 : 2))
IV_GETTER(tslcdIntervalSuspectReasons, reasons(r, v))

static const struct mib_column iv_cols[] = {TSLCD_COLUMNS_tslcdIntervalEntry(MIB_COLUMN)};
#define N_COLS (MIB_N_COLS(iv_cols))

/* ---- scalars ---- */

/* Lines added by a reload have fewer: the count is the longest history. */
static bool tslcdIntervalValid(const void *p, struct mib_value *v)
{
	const struct model *m = mib_model();
	unsigned most = 0;

	(void)p;
	for (size_t i = 0; m && i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			if (m->offices[i].lines[j].iv.count > most)
				most = m->offices[i].lines[j].iv.count;
	return m && mib_set_u32(v, most);
}

static bool tslcdIntervalLength(const void *p, struct mib_value *v)
{
	const struct model *m = mib_model();
	(void)p;
	return m && mib_set_u32(v, m->cfg->agent.interval_s);
}

static const struct mib_column scalar_cols[] = {TSLCD_COLUMNS_tslcdIntervalScalars(MIB_COLUMN)};

static const oid branch_oid[] = {TSLCD_OID_INTERVAL_SCALARS};
static const oid table_oid[] = {TSLCD_OID_INTERVAL_TABLE};
#define TABLE_LEN OID_LENGTH(table_oid)

/* ---- rows ---- */

/* A position in the table: the next line and interval to look at. */
struct iv_pos {
	const struct model *m;
	size_t office, line;
	unsigned k;
};

static const struct line *pos_line(const struct iv_pos *p)
{
	if (p->office >= p->m->n_offices || p->line >= p->m->offices[p->office].n_lines)
		return NULL;
	return &p->m->offices[p->office].lines[p->line];
}

/* Advance to the next interval (k), line or office in index order. */
static void pos_next(struct iv_pos *p)
{
	const struct line *l = pos_line(p);

	if (l && ++p->k <= l->iv.count)
		return;
	p->k = 1;
	if (++p->line >= p->m->offices[p->office].n_lines) {
		p->line = 0;
		p->office++;
	}
}

static bool pos_row(const struct iv_pos *p, struct iv_row *row)
{
	const struct line *l = pos_line(p);

	if (!l || !(row->rec = interval_get(&l->iv, p->k, &row->start)))
		return false;
	row->line = l;
	return true;
}

static void row_index(const struct iv_row *row, unsigned k, oid *idx)
{
	idx[0] = row->line->office->cfg->id;
	idx[1] = row->line->cfg->id;
	idx[2] = k;
}

/* The first of n elements of `stride` bytes whose id (read by id_of) is
 * >= want: offices and lines are both sorted by id. */
static size_t id_at_least(const void *base, size_t n, size_t stride,
                          uint32_t (*id_of)(const void *), oid want)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (id_of((const char *)base + mid * stride) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t office_id(const void *o)
{
	return ((const struct office *)o)->cfg->id;
}

static uint32_t line_id(const void *l)
{
	return ((const struct line *)l)->cfg->id;
}

/* Where the first row after the suffix s[n] can be: straight to its office,
 * line and interval number, so a GETNEXT costs two binary searches rather
 * than a scan of the office's rows (a walk of 960,000 rows did ~48 steps
 * per row).  A row (o, l, k) follows (o, l, k0, ...) only when k > k0: a
 * shorter index sorts first. */
static void seek(struct iv_pos *p, const oid *s, size_t n)
{
	const struct model *m = p->m;

	*p = (struct iv_pos){.m = m, .k = 1};
	if (!n)
		return;
	p->office = id_at_least(m->offices, m->n_offices, sizeof(*m->offices), office_id, s[0]);
	if (n < 2 || p->office >= m->n_offices || m->offices[p->office].cfg->id != s[0])
		return;
	const struct office *o = &m->offices[p->office];
	p->line = id_at_least(o->lines, o->n_lines, sizeof(*o->lines), line_id, s[1]);
	if (n < 3 || p->line >= o->n_lines || o->lines[p->line].cfg->id != s[1])
		return;
	/* past every interval a line keeps: pos_next() moves to the next line */
	p->k = s[2] < INTERVAL_KEEP ? (unsigned)s[2] + 1 : INTERVAL_KEEP + 1;
}

/* The first row whose index is greater than the request's suffix s[n]
 * (OID order).  seek() lands on it or just before it; the comparison
 * stays as the rule that decides. */
static bool first_after(struct iv_pos *p, const oid *s, size_t n, struct iv_row *row)
{
	seek(p, s, n);
	if (p->office < p->m->n_offices && p->line >= p->m->offices[p->office].n_lines) {
		p->line = 0; /* past the office's last line */
		p->office++;
	}
	for (; p->office < p->m->n_offices; pos_next(p)) {
		oid idx[3];
		if (!pos_row(p, row))
			continue; /* a line without intervals, or k past its count */
		row_index(row, p->k, idx);
		if (snmp_oid_compare(idx, 3, s, n) > 0)
			return true;
	}
	return false;
}

/* ---- the handler ---- */

static void set_name(netsnmp_variable_list *vb, unsigned col, const oid *idx)
{
	oid name[MAX_OID_LEN];

	memcpy(name, table_oid, sizeof(table_oid));
	name[TABLE_LEN] = 1;
	name[TABLE_LEN + 1] = col;
	memcpy(name + TABLE_LEN + 2, idx, 3 * sizeof(oid));
	snmp_set_var_objid(vb, name, TABLE_LEN + 5);
}

/* GET: the exact instance, or noSuchInstance. */
static void answer_get(const struct model *m, netsnmp_agent_request_info *ri,
                       netsnmp_request_info *req, const oid *s, size_t n)
{
	struct iv_row row;
	struct mib_value v = {0};
	const struct mib_column *col =
	    n == 4 ? mib_column_find(iv_cols, N_COLS, (unsigned)s[0]) : NULL;
	const struct line *l = col ? model_find_line(m, (uint32_t)s[1], (uint32_t)s[2]) : NULL;

	row.line = l;
	if (!l || s[1] > UINT32_MAX || s[2] > UINT32_MAX || s[3] > INTERVAL_KEEP ||
	    !(row.rec = interval_get(&l->iv, (unsigned)s[3], &row.start)) || !col->get(&row, &v)) {
		netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
		return;
	}
	snmp_set_var_typed_value(req->requestvb, col->type, v.ptr, v.len);
}

/* The row the last GETNEXT answered.  A walk asks next for the row after
 * it, which pos_next() reaches in a step or two instead of seek()'s two
 * binary searches through 7,500 offices and their configs.  Positions are
 * checked against the ids they stand for before use, so a reload (a new
 * model, perhaps at the old one's address) only costs the shortcut. */
static struct {
	struct iv_pos p;
	oid idx[3];
} last;

/* Into p: the position after the row s[0..n) when it is the last answered. */
static bool resume(struct iv_pos *p, const struct model *m, const oid *s, size_t n)
{
	const struct line *l = last.p.m == m ? pos_line(&last.p) : NULL;

	if (n != 3 || !l || memcmp(last.idx, s, sizeof(last.idx)) != 0 ||
	    l->office->cfg->id != s[0] || l->cfg->id != s[1] || last.p.k != s[2])
		return false;
	*p = last.p;
	pos_next(p);
	return true;
}

/* GETNEXT: the next instance with a value, column by column; past the
 * last, the request goes on to the next registration. */
static void answer_next(const struct model *m, netsnmp_agent_request_info *ri,
                        netsnmp_request_info *req, const oid *s, size_t n)
{
	for (size_t i = 0; i < N_COLS; i++) {
		const struct mib_column *col = &iv_cols[i];
		struct iv_pos p = {.m = m};
		struct iv_row row;
		struct mib_value v = {0};
		bool same = n && s[0] == col->num;
		if (n && s[0] > col->num)
			continue; /* a column before the request's */
		bool ok = same && resume(&p, m, s + 1, n - 1)
		              ? p.office < m->n_offices
		              : first_after(&p, same ? s + 1 : NULL, same ? n - 1 : 0, &row);
		for (; ok; pos_next(&p), ok = p.office < m->n_offices) {
			if (!pos_row(&p, &row) || !col->get(&row, &v))
				continue;
			row_index(&row, p.k, last.idx);
			last.p = p;
			set_name(req->requestvb, col->num, last.idx);
			snmp_set_var_typed_value(req->requestvb, col->type, v.ptr, v.len);
			return;
		}
		n = 0; /* the next column starts at its first row */
	}
	netsnmp_set_request_error(ri, req, SNMP_ENDOFMIBVIEW);
}

static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
                         netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	const struct model *m = mib_model();

	(void)handler, (void)reginfo;
	if (ri->mode != MODE_GET && ri->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *req = requests; req; req = req->next) {
		oid s[MIB_SUFFIX_MAX];
		if (req->processed)
			continue;
		long n = mib_table_suffix(req->requestvb, table_oid, TABLE_LEN, s);
		if (!m || n < 0)
			netsnmp_set_request_error(
			    ri, req, ri->mode == MODE_GET ? SNMP_NOSUCHOBJECT : SNMP_ENDOFMIBVIEW);
		else if (ri->mode == MODE_GET)
			answer_get(m, ri, req, s, (size_t)n);
		else
			answer_next(m, ri, req, s, (size_t)n);
	}
	return SNMP_ERR_NOERROR;
}

int mib_interval_register(void)
{
	if (mib_scalars_register("tslcdIntervalScalars", branch_oid, OID_LENGTH(branch_oid),
	                         scalar_cols, MIB_N_COLS(scalar_cols)))
		return -1;
	netsnmp_handler_registration *reg = netsnmp_handler_registration_create(
	    "tslcdIntervalTable", netsnmp_create_handler("tslcdIntervalTable", table_handler),
	    table_oid, TABLE_LEN, HANDLER_CAN_RONLY);
	return reg && netsnmp_register_handler(reg) == SNMPERR_SUCCESS ? 0 : -1;
}

void mib_interval_dump(FILE *out)
{
	const struct mib_table t = {
	    .table_oid = table_oid, .table_oid_len = TABLE_LEN, .cols = iv_cols, .n_cols = N_COLS};

	mib_dump_scalar_oids(out, branch_oid, OID_LENGTH(branch_oid), scalar_cols,
	                     MIB_N_COLS(scalar_cols));
	mib_dump_table_oids(out, &t);
}
