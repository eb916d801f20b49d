/*
 * privilege: run with the least privilege the agent needs (chronyd -u is
 * the model).
 *
 * Contract: main calls privilege_drop() once, after everything that needs
 * root is open (the raw ICMP sockets of prober_init, the AgentX session)
 * and before anything is created on disk (control socket, state file), so
 * those belong to the unprivileged user.
 *  - As root with `user` set: supplementary groups, gid and uid become the
 *    user's, the bounding set shrinks to CAP_NET_RAW, and CAP_NET_RAW is the
 *    only capability left (effective and permitted; none inheritable or
 *    ambient).  Root cannot be regained; that is verified.
 *  - As root without `user` (or user "root"): a clear warning, nothing else.
 *  - Not root (systemd User=, setpriv): every capability but CAP_NET_RAW is
 *    dropped; a `user` naming someone else is reported and ignored.
 * Returns 0, or -1 after logging why: the caller must then stop, since it
 * was asked not to run privileged.  No libcap: raw capget/capset syscalls.
 */
#ifndef TSLCD_PRIVILEGE_H
#define TSLCD_PRIVILEGE_H

#include <stdint.h>

/* The capability kept, as a CapEff/CapPrm mask in /proc/PID/status. */
#define PRIVILEGE_KEPT_MASK (UINT64_C(1) << 13) /* CAP_NET_RAW */

int privilege_drop(const char *user);

/* Effective and permitted capability masks of this process (tests, logs). */
int privilege_caps(uint64_t *effective, uint64_t *permitted);

#endif
