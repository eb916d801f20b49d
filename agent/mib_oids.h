/*
 * mib_oids: the one place in C where TSLCD-MIB's root lives.
 *
 * Re-rooting under an assigned enterprise number means changing this macro
 * and the MODULE-IDENTITY line in mibs/TSLCD-MIB.txt; tests/mib/oid-names.sh
 * (fed by `tslcd-agent --dump-oids`) fails until both agree.
 */
#ifndef TSLCD_MIB_OIDS_H
#define TSLCD_MIB_OIDS_H

/* netSnmpPlaypen.84 (1.3.6.1.4.1.8072.9999.9999.84): experimental arc. */
#define TSLCD_OID_ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 84

/* Branches under the root, as in the MIB. */
#define TSLCD_OID_NOTIFICATIONS    TSLCD_OID_ROOT, 0
#define TSLCD_OID_OBJECTS          TSLCD_OID_ROOT, 1
#define TSLCD_OID_AGENT            TSLCD_OID_OBJECTS, 1
#define TSLCD_OID_OFFICE_TABLE     TSLCD_OID_OBJECTS, 2
#define TSLCD_OID_LINE_TABLE       TSLCD_OID_OBJECTS, 3
#define TSLCD_OID_OUTAGE_TABLE     TSLCD_OID_OBJECTS, 4
#define TSLCD_OID_READY_TABLE      TSLCD_OID_OBJECTS, 5
#define TSLCD_OID_ALARM_TABLE      TSLCD_OID_OBJECTS, 6
#define TSLCD_OID_NOTIFY_OBJS      TSLCD_OID_OBJECTS, 7
#define TSLCD_OID_INTERVALS        TSLCD_OID_OBJECTS, 8
#define TSLCD_OID_INTERVAL_SCALARS TSLCD_OID_INTERVALS, 1
#define TSLCD_OID_INTERVAL_TABLE   TSLCD_OID_INTERVALS, 2
#define TSLCD_OID_NODE_TABLE       TSLCD_OID_OBJECTS, 9
#define TSLCD_OID_NOTIFY_LOG_TABLE TSLCD_OID_OBJECTS, 10
#define TSLCD_OID_CLEARED_TABLE    TSLCD_OID_OBJECTS, 11

#endif
