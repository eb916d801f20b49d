/*
 * privilege: run with the least privilege the agent needs (chronyd -u is
 * the model).
 *
 * Contract: main calls privilege_drop() once, after everything that needs
 * root is open (the raw ICMP sockets of prober_init, the AgentX session)
 * and before anything is created on disk (control socket, state file), so
 * those belong to the unprivileged user.  No capability is kept: the ICMP
 * sockets of both families are opened once at start and serve every later
 * config (a reload that adds ICMP or IPv6 lines reuses them), and nothing
 * else the agent does needs one.
 *  - As root with `user` set: supplementary groups, gid and uid become the
 *    user's; the bounding, effective, permitted, inheritable and ambient
 *    sets are emptied and no_new_privs is set.  Root cannot be regained;
 *    that is verified.
 *  - As root without `user` (or user "root"): a clear warning, nothing else.
 *  - Not root (systemd User= with CAP_NET_RAW, setpriv): every capability is
 *    dropped and no_new_privs set (the bounding set cannot shrink without
 *    CAP_SETPCAP, and with no_new_privs it grants nothing); a `user` naming
 *    someone else is reported and ignored.
 * Returns 0, or -1 after logging why: the caller must then stop, since it
 * was asked not to run privileged.  No libcap: raw capget/capset syscalls.
 */
#ifndef TSLCD_PRIVILEGE_H
#define TSLCD_PRIVILEGE_H

#include <stdint.h>
#include <sys/types.h>

int privilege_drop(const char *user);

/* The uid the agent runs as once privilege_drop(user) has run: user's when
 * started as root with a user that exists, otherwise the current euid.
 * For rules that must hold both at start and after the drop (secrets.h). */
uid_t privilege_run_uid(const char *user);

/* Before the drop: warns (naming path and the remedy) when user, the one
 * the agent is about to become, could not open path for reading, since
 * SIGHUP re-reads the config without root.  Does nothing unless root with
 * a user set. */
void privilege_warn_unreadable(const char *path, const char *user);

/* Effective and permitted capability masks of this process (tests, logs). */
int privilege_caps(uint64_t *effective, uint64_t *permitted);

#endif
