/*
 * mib: TSLCD-MIB as served by this agent, one mib_*.c file per MIB group.
 *
 * Contract: mib_register_all() registers every group once per AgentX
 * session start; mib_bind_model() (re)points the tables at a model after
 * start-up or a config reload.  Handlers read the model and the agent
 * status (agent_status.h); they never change either.
 */
#ifndef TSLCD_MIB_H
#define TSLCD_MIB_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "mib_oids.h"
#include "mib_table.h"
#include "model.h"

int mib_register_all(void);
void mib_bind_model(const struct model *m);
const struct model *mib_model(void);

/* Keep the outage table in step with the rings (model listener events). */
void mib_outage_added(const struct line *l, const struct outage *o, uint32_t evicted);

/* Every object this agent serves as "NAME .OID" lines (tests compare them
 * with the MIB through snmptranslate). */
void mib_dump_oids(FILE *out);

/* Per-group hooks used by mib.c.  The tables whose rows are the bound
 * model's offices, lines, outages and nodes are registered and dumped by
 * mib.c through their descriptors; notifications take office, line and
 * node columns from the same descriptors. */
int mib_agent_register(void);
void mib_agent_dump(FILE *out);
void mib_office_bind(const struct model *m);
struct mib_table *mib_office_table(void);
void mib_line_bind(const struct model *m);
struct mib_table *mib_line_table(void);
void mib_outage_bind(const struct model *m);
struct mib_table *mib_outage_table(void);
int mib_alarm_register(void);
void mib_alarm_dump(FILE *out);
/* tslcdNodeTable (mib_node.c): rows are struct node of the bound model. */
void mib_node_bind(const struct model *m);
struct mib_table *mib_node_table(void);
/* tslcdNotifyLogTable and tslcdClearedAlarmTable (mib_alarmlog.c): rows
 * follow alarmlog's rings. */
int mib_alarmlog_register(void);
void mib_alarmlog_dump(FILE *out);
int mib_interval_register(void);
void mib_interval_dump(FILE *out);
/* Keep tslcdAlarmTable in step with the notifier's alarm set. */
struct alarm;
void mib_alarm_row(const struct alarm *a, bool present);

/* tslcdReadinessTable and the readiness values other groups repeat. */
struct readiness;
int mib_readiness_register(void);
void mib_readiness_bind(const struct readiness *rd);
void mib_readiness_dump(FILE *out);
bool mib_office_readiness(uint32_t office, struct mib_value *v);
bool mib_office_readiness_score(uint32_t office, struct mib_value *v);
bool mib_reports_accepted(struct mib_value *v);
bool mib_reports_rejected(struct mib_value *v);

/* Shared getters' helpers: ppm availability of an entity for a window. */
bool mib_avail_raw(const struct avail *av, enum avail_window w, struct mib_value *v);
bool mib_avail_adjusted(const struct avail *av, enum avail_window w, struct mib_value *v);
bool mib_avail_monitored(const struct avail *av, enum avail_window w, struct mib_value *v);
/* A calendar window's downtime / outage count; absent without data. */
bool mib_avail_downtime(const struct avail *av, enum avail_window w, struct mib_value *v);
bool mib_avail_outages(const struct avail *av, enum avail_window w, struct mib_value *v);

/*
 * The availability columns offices and lines both have, as one list so the
 * two tables cannot drift apart.  GETTER is the module's row getter macro
 * (mib_table.h MIB_GETTER), P the table's descriptor prefix (tslcdLine:
 * the getters are tslcdLineAvail24h...), AV the row's struct avail, OK a
 * guard (a line that is not probed has no current figures).
 */
#define MIB_AVAIL_GETTERS(GETTER, P, AV, OK)                                                       \
	GETTER(P##Avail24h, (OK) && mib_avail_raw(AV, AVAIL_24H, v))                               \
	GETTER(P##Avail7d, (OK) && mib_avail_raw(AV, AVAIL_7D, v))                                 \
	GETTER(P##Avail30d, (OK) && mib_avail_raw(AV, AVAIL_30D, v))                               \
	GETTER(P##AvailMonth, (OK) && mib_avail_raw(AV, AVAIL_MONTH, v))                           \
	GETTER(P##AvailQuarter, (OK) && mib_avail_raw(AV, AVAIL_QUARTER, v))                       \
	GETTER(P##AvailQuarterAdj, (OK) && mib_avail_adjusted(AV, AVAIL_QUARTER, v))               \
	GETTER(P##MonitoredQuarter, (OK) && mib_avail_monitored(AV, AVAIL_QUARTER, v))

/* The previous month and quarter, for the monthly and quarterly reports. */
#define MIB_PREV_PERIOD_GETTERS(GETTER, P, AV)                                                     \
	GETTER(P##AvailPrevMonth, mib_avail_raw(AV, AVAIL_PREV_MONTH, v))                          \
	GETTER(P##AvailPrevMonthAdj, mib_avail_adjusted(AV, AVAIL_PREV_MONTH, v))                  \
	GETTER(P##DowntimePrevMonth, mib_avail_downtime(AV, AVAIL_PREV_MONTH, v))                  \
	GETTER(P##OutagesPrevMonth, mib_avail_outages(AV, AVAIL_PREV_MONTH, v))                    \
	GETTER(P##AvailPrevQuarter, mib_avail_raw(AV, AVAIL_PREV_QUARTER, v))                      \
	GETTER(P##AvailPrevQuarterAdj, mib_avail_adjusted(AV, AVAIL_PREV_QUARTER, v))              \
	GETTER(P##DowntimePrevQuarter, mib_avail_downtime(AV, AVAIL_PREV_QUARTER, v))              \
	GETTER(P##OutagesPrevQuarter, mib_avail_outages(AV, AVAIL_PREV_QUARTER, v))

#endif
