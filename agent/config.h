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

#include "linestate.h"
#include "maintenance.h"
#include "prober.h"

/* Enumerations use the MIB's numeric values. */
enum admin_level { LEVEL_CENTRAL = 1, LEVEL_PROVINCE, LEVEL_DISTRICT, LEVEL_COMMUNE };
enum carrier { CARRIER_OTHER = 1, CARRIER_VNPT, CARRIER_VIETTEL };
enum addr_type { ADDR_UNKNOWN = 0, ADDR_IPV4 = 1, ADDR_IPV6 = 2, ADDR_DNS = 16 };
enum probe_method_mib { METHOD_NONE = 1, METHOD_ICMP, METHOD_TCP, METHOD_ICMP_TCP };

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
	int cfg_line; /* line in the file where the section starts */
};

struct office_cfg {
	uint32_t id;
	uint8_t admin_level, org_type, access_tier, security_level, framework;
	uint32_t required_lines;
	char *code, *name, *province, *commune, *contact;
	struct line_cfg *lines;
	size_t n_lines;
	int cfg_line;
};

struct agent_cfg {
	char *agentx_socket;
	char *state_dir;
	char *timezone;
	char *user;
	char *control_socket;
	unsigned save_interval_s;
};

struct tslcd_config {
	char *path;
	uint8_t fingerprint[32]; /* SHA-256 of the effective (normalised) config */
	struct agent_cfg agent;
	struct prober_params probe;
	struct linestate_params state;
	unsigned outage_history;
	struct office_cfg *offices;
	size_t n_offices;
	size_t n_lines;
};

/* Receives one formatted "FILE:LINE: message" per problem. */
typedef void (*config_error_fn)(void *ctx, const char *msg);

struct tslcd_config *config_load(const char *path, config_error_fn err, void *ctx);
void config_free(struct tslcd_config *cfg);

const struct office_cfg *config_find_office(const struct tslcd_config *cfg, uint32_t id);
const struct line_cfg *config_find_line(const struct office_cfg *o, uint32_t id);

#endif
