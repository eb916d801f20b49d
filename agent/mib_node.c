/*
 * mib_node: tslcdNodeTable, one row per configured upstream node, indexed
 * by the operator-assigned node id.  Rows are the bound model's struct
 * node (sorted by id, like the config); notifications take node columns
 * from the descriptor (mib_node_table()).
 */
#include "mib.h"
#include "mib_columns.h" /* generated from the MIB (Makefile) */

#define NODE_GETTER(fn, call) MIB_GETTER(fn, const struct node *n = p, call)

/* A target counts as answering with the lines' meaning of available. */
static uint32_t targets_up(const struct node *n)
{
	uint32_t up = 0;
	for (size_t i = 0; i < n->n_targets; i++) {
		enum line_status s = linestate_reported(&n->targets[i].ls);
		up += s == LINE_UP || s == LINE_DEGRADED;
	}
	return up;
}

NODE_GETTER(tslcdNodeName, mib_set_str(v, n->cfg->name))
NODE_GETTER(tslcdNodeNameAscii, mib_set_ascii(v, n->cfg->name))
NODE_GETTER(tslcdNodeCarrier, mib_set_int(v, n->cfg->carrier))
NODE_GETTER(tslcdNodeParent, mib_set_u32(v, n->cfg->parent))
NODE_GETTER(tslcdNodeOperStatus, mib_set_int(v, n->status ? n->status : NODE_UNKNOWN))
NODE_GETTER(tslcdNodeLastChange, mib_set_datetime(v, n->last_change))
NODE_GETTER(tslcdNodeTargets, mib_set_u32(v, (uint32_t)n->n_targets))
NODE_GETTER(tslcdNodeTargetsUp, mib_set_u32(v, targets_up(n)))
NODE_GETTER(tslcdNodeOfficesBehind, mib_set_u32(v, n->offices_behind))
NODE_GETTER(tslcdNodeLinesBehind, mib_set_u32(v, n->lines_behind))
NODE_GETTER(tslcdNodeOfficesAffected, mib_set_u32(v, n->offices_affected))
NODE_GETTER(tslcdNodeLinesAffected, mib_set_u32(v, n->lines_affected))
NODE_GETTER(tslcdNodeAvail24h, mib_avail_raw(&n->av, AVAIL_24H, v))
NODE_GETTER(tslcdNodeAvail30d, mib_avail_raw(&n->av, AVAIL_30D, v))

static const struct mib_column node_cols[] = {TSLCD_COLUMNS_tslcdNodeEntry(MIB_COLUMN)};

MIB_TABLE(node_table, "tslcdNodeTable", TSLCD_OID_NODE_TABLE, 1, node_cols);

void mib_node_bind(const struct model *m)
{
	size_t n = m ? m->n_nodes : 0;
	struct mib_row *rows = mib_rows_alloc(&node_table, n);

	if (!rows)
		return;
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct mib_row){{m->nodes[i].cfg->id}, &m->nodes[i]};
	mib_table_rebind(&node_table, rows, n);
}

struct mib_table *mib_node_table(void)
{
	return &node_table;
}
