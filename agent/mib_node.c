/* Placeholder until tslcdNodeTable lands (branch nodemib). */
#include "mib.h"

const struct mib_table *mib_node_table(void)
{
	return NULL;
}
