/*
 * config: parse and validate tslcd.conf (libconfuse) into plain structs.
 *
 * Contract: config_load() either returns a complete, validated config or
 * NULL with every problem already reported as "FILE:LINE: message" through
 * the error sink (log by default).  Offices are sorted by id, lines within an
 * office by id; ids are unique, so they can serve as SNMP indices.  The
 * returned tree is immutable and owned by the caller (config_free()).
 */
#ifndef TSLCD_CONFIG_H
#define TSLCD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "alarm.h"
#include "bandwidth.h"
#include "config_error.h"
#include "linestate.h"
#include "maintenance.h"
#include "prober_params.h"

/* Enumerations use the MIB's numeric values. */
enum admin_level { LEVEL_CENTRAL = 1, LEVEL_PROVINCE, LEVEL_DISTRICT, LEVEL_COMMUNE };
enum carrier { CARRIER_OTHER = 1, CARRIER_VNPT, CARRIER_VIETTEL };
/* "VNPT", "Viettel" or "other", as operators write them. */
const char *config_carrier_name(unsigned carrier);
enum addr_type { ADDR_UNKNOWN = 0, ADDR_IPV4 = 1, ADDR_IPV6 = 2, ADDR_DNS = 16 };
enum probe_method_mib { METHOD_NONE = 1, METHOD_ICMP, METHOD_TCP, METHOD_ICMP_TCP };

/* How a line's interface is found on its router. */
enum if_match { IFMATCH_INDEX = 1, IFMATCH_NAME, IFMATCH_DESCR };
enum snmp_auth { SNMP_AUTH_SHA1 = 1, SNMP_AUTH_SHA256, SNMP_AUTH_SHA512 };
enum snmp_priv { SNMP_PRIV_AES128 = 1, SNMP_PRIV_AES256 };

/* counters { router version community | user auth-* priv-*  ifindex|ifname|ifdescr  interval } */
struct counters_cfg {
	char *router;                /* as written */
	char *peername;              /* Net-SNMP transport: "udp:A:P" or "udp6:[A]:P" */
	uint8_t addr_type, addr_len; /* enum addr_type, RFC 4001 bytes */
	uint8_t addr_bin[16];
	uint16_t port;
	uint8_t version; /* 2 = v2c, 3 = v3 authPriv */
	char *community;
	char *user, *auth_key, *priv_key;
	uint8_t auth_proto, priv_proto; /* enum snmp_auth, enum snmp_priv */
	uint8_t match;                  /* enum if_match */
	uint32_t ifindex;               /* IFMATCH_INDEX */
	char *ifname;                   /* IFMATCH_NAME / IFMATCH_DESCR */
	unsigned interval_s;
	int cfg_line;
};

/* bandwidth { poll-interval timeout retries sample window threshold-* max-inflight min-samples
 *             get-batch } */
struct bandwidth_cfg {
	struct bw_params bw;
	unsigned poll_interval_s, timeout_ms, retries, max_inflight;
	unsigned get_batch; /* interfaces per GET to start with; halved on tooBig */
};

struct line_cfg {
	uint32_t id;
	uint8_t carrier, medium, role, method; /* MIB enumerations */
	uint8_t target_type;                   /* enum addr_type */
	uint8_t target_len;
	uint8_t target_bin[16]; /* RFC 4001 encoding for ipv4/ipv6 */
	uint16_t tcp_port;
	uint32_t path_group;
	uint32_t contract_kbps;
	char *circuit;
	char *target;               /* as written: literal address or DNS name */
	struct maint_window *maint; /* the office's windows, then the line's own */
	size_t n_maint;
	struct counters_cfg *counters; /* NULL: no counters source */
	uint32_t via; /* upstream node id (its own `via`, else the office's); 0: none */
	int cfg_line; /* line in the file where the section starts */
};

/* An Ed25519 public key for readiness reports; its name is recorded as the
 * signer of the reports it verifies. */
struct key_cfg {
	char *name;
	char *path;
	uint8_t pub[32];
};

/* Debian's whole bundle of public CAs is about 220 KB. */
#define CONFIG_CA_MAX_BYTES (4u << 20)

/* Per-office readiness options (key and TLS endpoint are both optional). */
struct office_ready_cfg {
	bool has_key;
	struct key_cfg key;
	char *tls_endpoint; /* "" = no TLS check; else literal "ADDR:PORT" / "[ADDR]:PORT" */
	char *tls_host;     /* the address part, for connect() */
	uint16_t tls_port;
	char *tls_ca;   /* CA bundle (regular file, <= CONFIG_CA_MAX_BYTES); "" = system store */
	char *tls_name; /* name the certificate must carry (and SNI); "" = not checked */
};

/* A signing authority (e.g. the provincial Department) and the offices whose
 * reports it may sign; no offices listed = every office. */
struct authority_cfg {
	struct key_cfg key;
	uint32_t *offices;
	size_t n_offices;
	bool every_office; /* no `offices` written; `offices = {}` covers none */
};

/* Global readiness rules and ingestion settings (section `readiness`). */
struct readiness_cfg {
	char *spool_dir; /* "" = no report ingestion */
	unsigned max_age_days;
	unsigned coverage_target_pct;
	unsigned inspection_max_age_days;
	unsigned drill_max_age_days; /* 0 = the drill item is not judged */
	unsigned rescan_s;
	unsigned sig_wait_s; /* a report still unsigned after this is rejected */
	unsigned tls_interval_s, tls_timeout_s;
	unsigned cert_warn_days, cert_clear_days;
};

struct office_cfg {
	uint32_t id;
	uint8_t admin_level, org_type, access_tier, security_level, framework;
	uint32_t required_lines;
	char *code, *name, *province, *commune, *contact;
	char *district;   /* "" = not given; free text, a district name or code */
	uint32_t via;     /* upstream node of every line without its own `via`; 0: none */
	uint32_t *groups; /* indices into tslcd_config.groups, ascending */
	size_t n_groups;
	struct line_cfg *lines;
	size_t n_lines;
	struct office_ready_cfg ready;
	int cfg_line;
};

struct agent_cfg {
	char *agentx_socket;
	char *state_dir;
	char *timezone;
	char *user;
	char *control_socket;
	unsigned save_interval_s;
	char *province_code, *province_name; /* for the history's meta table */
	unsigned history_retention_days;     /* 0: keep everything */
	unsigned history_interval_s;         /* the running day is written this often */
	unsigned interval_s;                 /* tslcdIntervalTable length: 900, 300 or 60 */
};

/* A heightened-vigilance period (Tet, elections): while now (local time)
 * is in [from, to), severities go up one step and thresholds may tighten. */
struct heightened_cfg {
	char *name;
	int64_t from, to; /* local time as YYYYMMDDHHMM */
	bool raise_severity;
	struct linestate_params state; /* probe thresholds in force during it */
	int cfg_line;
};

/* Section `notify`: storm control, per-type settings, heightened periods. */
struct notify_cfg {
	unsigned rate, burst; /* token bucket: per second, at once */
	unsigned flap_count, flap_window_s;
	bool resend_on_connect;
	unsigned log_size, cleared_size;      /* alarmlog rings; 0 = off */
	uint32_t sla_target_ppm;              /* office availability target; 0 = off */
	unsigned sla_window;                  /* enum avail_window */
	unsigned sla_min_monitored_s;         /* judge only with this much data */
	bool enable[ALARM_TYPE_MAX + 1];      /* by enum alarm_type */
	uint8_t severity[ALARM_TYPE_MAX + 1]; /* enum severity */
	struct heightened_cfg *periods;
	size_t n_periods;
};

/* Targets of one node or of the self-check. */
#define CONFIG_TARGETS_MAX 8

/* A node offices depend on: a carrier PoP, a district aggregation router,
 * the province gateway.  Its targets are probed like lines (the same
 * prober, hysteresis and thresholds); the node is down when every target
 * is down.  Section `node { id name carrier targets probe port parent }`. */
struct node_cfg {
	uint32_t id; /* 1..4294967295, unique among nodes */
	char *name;
	uint8_t carrier;   /* enum carrier */
	uint8_t method;    /* enum probe_method_mib, never METHOD_NONE */
	uint16_t tcp_port; /* with tcp */
	char **targets;    /* literal addresses or DNS names, at least one */
	size_t n_targets;
	uint32_t parent; /* node id; 0: none.  No cycles (checked). */
	int cfg_line;
};

/* Section `self-check { targets probe port }`: the reference targets
 * (the agent's own next hop, the province gateway, another agent).  When
 * every one of them is down, monitoring is impaired.  No targets: off. */
struct selfcheck_cfg {
	char **targets;
	size_t n_targets;
	uint8_t method; /* enum probe_method_mib */
	uint16_t tcp_port;
};

/* Where an office group comes from (area outages). */
enum group_kind { GROUP_COMMUNE = 1, GROUP_DISTRICT = 2, GROUP_CARRIER = 3, GROUP_NAMED = 4 };

/* A group of offices for the area-outage rule: every distinct commune,
 * district and carrier of the kinds `area-outage.by` names, and every
 * name in the offices' `groups` lists.  Groups are sorted by (kind, name);
 * an index into this array (from 0) is an office's membership, the index
 * + 1 the group's number in the MIB. */
struct group_cfg {
	uint8_t kind;      /* enum group_kind */
	char *name;        /* the commune code, district, carrier keyword or free name */
	uint32_t *offices; /* office ids, ascending */
	size_t n_offices;
};

/* Section `area-outage { min-offices window clear-below hold by }`. */
struct area_cfg {
	unsigned min_offices;     /* N: offices of one group down within the window; 0 = off */
	unsigned window_s;        /* W */
	unsigned clear_below;     /* the alarm clears when fewer than this many are down */
	unsigned hold_s;          /* line/office raises of grouped offices wait this long */
	bool by[GROUP_NAMED + 1]; /* by enum group_kind: which kinds make groups */
};

struct tslcd_config {
	char *path;
	uint8_t fingerprint[32]; /* SHA-256 of the effective (normalised) config */
	struct agent_cfg agent;
	struct prober_params probe;
	struct linestate_params state;
	unsigned outage_history;
	struct notify_cfg notify;
	struct bandwidth_cfg bandwidth;
	struct readiness_cfg readiness;
	struct authority_cfg *authorities;
	size_t n_authorities;
	struct office_cfg *offices;
	size_t n_offices;
	size_t n_lines;
	struct node_cfg *nodes; /* sorted by id; parents exist, no cycles */
	size_t n_nodes;
	struct selfcheck_cfg selfcheck;
	struct area_cfg area;
	struct group_cfg *groups;
	size_t n_groups;
};

/* err receives one formatted "FILE:LINE: message" per problem (config_error.h). */
struct tslcd_config *config_load(const char *path, config_error_fn err, void *ctx);
void config_free(struct tslcd_config *cfg);
/* Accept communities and keys in a file others can read (the override of
 * README "Secrets": the refusal becomes a warning). */
void config_allow_readable_secrets(bool allow);
/* Same SNMPv3 keys and protocols (the user is not compared). */
bool config_same_keys(const struct counters_cfg *a, const struct counters_cfg *b);

/* The schema, one option a line: "PATH<TAB>TYPE<TAB>DEFAULT<TAB>VALUES", read
 * from the same tables the parser uses (tests/lib/gen-conf-man.sh renders it). */
void config_dump_schema(FILE *out);

const struct office_cfg *config_find_office(const struct tslcd_config *cfg, uint32_t id);
/* May this authority sign for this office?  No `offices` list: every
 * office; an empty one: none. */
bool config_authority_covers(const struct authority_cfg *a, uint32_t office);
const struct line_cfg *config_find_line(const struct office_cfg *o, uint32_t id);
const struct node_cfg *config_find_node(const struct tslcd_config *cfg, uint32_t id);
/* "commune", "district", "carrier" or "group" ("unknown" for anything else). */
const char *config_group_kind_name(unsigned kind);
/* The keyword of an enumerated option's value ("carrier", 3 -> "viettel"),
 * the MIB's enumeration name; NULL when there is none. */
const char *config_keyword_name(const char *option, long value);

#endif
