/*
 * mib_node: tslcdNodeTable, one row per configured upstream node, indexed
 * by the operator-assigned node id.  Rows are the bound model's struct
 * node (sorted by id, like the config); notifications take node columns
 * from the descriptor (mib_node_table()).
 */
#include "mib.h"

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

NODE_GETTER(get_name, mib_set_str(v, n->cfg->name))
NODE_GETTER(get_name_ascii, mib_set_ascii(v, n->cfg->name))
NODE_GETTER(get_carrier, mib_set_int(v, n->cfg->carrier))
NODE_GETTER(get_parent, mib_set_u32(v, n->cfg->parent))
NODE_GETTER(get_status, mib_set_int(v, n->status ? n->status : NODE_UNKNOWN))
NODE_GETTER(get_last_change, mib_set_datetime(v, n->last_change))
NODE_GETTER(get_targets, mib_set_u32(v, (uint32_t)n->n_targets))
NODE_GETTER(get_targets_up, mib_set_u32(v, targets_up(n)))
NODE_GETTER(get_offices_behind, mib_set_u32(v, n->offices_behind))
NODE_GETTER(get_lines_behind, mib_set_u32(v, n->lines_behind))
NODE_GETTER(get_offices_affected, mib_set_u32(v, n->offices_affected))
NODE_GETTER(get_lines_affected, mib_set_u32(v, n->lines_affected))
NODE_GETTER(get_av24h, mib_avail_raw(&n->av, AVAIL_24H, v))
NODE_GETTER(get_av30d, mib_avail_raw(&n->av, AVAIL_30D, v))

static const struct mib_column node_cols[] = {
    {2, "tslcdNodeName", ASN_OCTET_STR, get_name},
    {3, "tslcdNodeCarrier", ASN_INTEGER, get_carrier},
    {4, "tslcdNodeParent", ASN_UNSIGNED, get_parent},
    {5, "tslcdNodeOperStatus", ASN_INTEGER, get_status},
    {6, "tslcdNodeLastChange", ASN_OCTET_STR, get_last_change},
    {7, "tslcdNodeTargets", ASN_UNSIGNED, get_targets},
    {8, "tslcdNodeTargetsUp", ASN_GAUGE, get_targets_up},
    {9, "tslcdNodeOfficesBehind", ASN_UNSIGNED, get_offices_behind},
    {10, "tslcdNodeLinesBehind", ASN_UNSIGNED, get_lines_behind},
    {11, "tslcdNodeOfficesAffected", ASN_GAUGE, get_offices_affected},
    {12, "tslcdNodeLinesAffected", ASN_GAUGE, get_lines_affected},
    {13, "tslcdNodeAvail24h", ASN_UNSIGNED, get_av24h},
    {14, "tslcdNodeAvail30d", ASN_UNSIGNED, get_av30d},
    {20, "tslcdNodeNameAscii", ASN_OCTET_STR, get_name_ascii},
};

MIB_TABLE(node_table, "tslcdNodeTable", TSLCD_OID_NODE_TABLE, 1, node_cols);

void mib_node_bind(const struct model *m)
{
	mib_table_clear(&node_table);
	for (size_t i = 0; m && i < m->n_nodes; i++)
		mib_table_set_row(&node_table, &m->nodes[i].cfg->id, &m->nodes[i]);
}

struct mib_table *mib_node_table(void)
{
	return &node_table;
}
