/*
 * privilege: drop root and every capability after the privileged setup.
 *
 * Order matters: the bounding set can only shrink while we still hold
 * CAP_SETPCAP (as root), so before setresuid(), which empties the other
 * sets; capset() then makes sure of it (and is all there is to do when we
 * were started unprivileged with capabilities).
 */
#include "privilege.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- capability sets through the raw syscalls (no libcap) ---- */

struct capsets {
	uint64_t effective, permitted, inheritable;
};

static int caps_get(struct capsets *c)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, d) < 0)
		return -1;
	c->effective = (uint64_t)d[1].effective << 32 | d[0].effective;
	c->permitted = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	c->inheritable = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	return 0;
}

static int caps_set(const struct capsets *c)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {
	    {(uint32_t)c->effective, (uint32_t)c->permitted, (uint32_t)c->inheritable},
	    {(uint32_t)(c->effective >> 32), (uint32_t)(c->permitted >> 32),
	     (uint32_t)(c->inheritable >> 32)},
	};

	return (int)syscall(SYS_capset, &hdr, d);
}

int privilege_caps(uint64_t *effective, uint64_t *permitted)
{
	struct capsets c;

	if (caps_get(&c) < 0)
		return -1;
	*effective = c.effective;
	*permitted = c.permitted;
	return 0;
}

/* The raw sockets are open and are never reopened (privilege.h): nothing
 * else needs a capability, so none is kept. */
static int caps_drop_all(void)
{
	const struct capsets none = {0, 0, 0};

	if (caps_set(&none) < 0)
		return -1;
	/* Ambient capabilities (setpriv, systemd) would pass to an exec'd child. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -1;
	return 0;
}

/* Needs CAP_SETPCAP, so only as root; stops any later exec from regaining
 * a capability.  Ends at the first number the kernel does not know. */
static int bounding_set_clear(void)
{
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return -1;
	}
	return 0;
}

/* ---- the switch itself ---- */

struct target {
	char name[64];
	uid_t uid;
	gid_t gid;
};

/* Copied out: initgroups() may reuse getpwnam()'s static buffer. */
static int target_lookup(const char *user, struct target *t)
{
	errno = 0;
	const struct passwd *pw = getpwnam(user);

	if (!pw) {
		log_msg(LOG_ERR, "agent.user '%s': %s", user,
		        errno ? strerror(errno) : "no such user");
		return -1;
	}
	snprintf(t->name, sizeof(t->name), "%s", pw->pw_name);
	t->uid = pw->pw_uid;
	t->gid = pw->pw_gid;
	return 0;
}

static int fail(const char *what)
{
	log_msg(LOG_ERR, "dropping privileges: %s: %s; refusing to run as root", what,
	        strerror(errno));
	return -1;
}

/* After the switch, getting root back must be impossible. */
static bool root_regainable(void)
{
	return setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0;
}

static int switch_user(const struct target *t)
{
	if (initgroups(t->name, t->gid) < 0)
		return fail("initgroups");
	if (bounding_set_clear() < 0)
		return fail("PR_CAPBSET_DROP");
	if (setresgid(t->gid, t->gid, t->gid) < 0)
		return fail("setresgid");
	if (setresuid(t->uid, t->uid, t->uid) < 0)
		return fail("setresuid");
	if (caps_drop_all() < 0)
		return fail("capset");
	/* We never exec; this makes sure nothing exec'd could gain privilege. */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (root_regainable()) {
		errno = EPERM;
		return fail("root could be regained");
	}
	log_msg(LOG_INFO,
	        "dropped privileges: running as %s (uid %u, gid %u) with no capabilities "
	        "(the ICMP sockets are open)",
	        t->name, (unsigned)t->uid, (unsigned)t->gid);
	return 0;
}

/* Already unprivileged: shed whatever capabilities came with us. */
static int trim_unprivileged(const char *user)
{
	const struct passwd *pw = user[0] ? getpwnam(user) : NULL;

	if (user[0] && (!pw || pw->pw_uid != geteuid()))
		log_msg(LOG_WARNING,
		        "agent.user '%s' ignored: not started as root (running as uid %u)", user,
		        (unsigned)geteuid());
	if (caps_drop_all() < 0) {
		log_msg(LOG_ERR, "dropping capabilities: %s", strerror(errno));
		return -1;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	log_msg(LOG_INFO, "running as uid %u with no capabilities (the ICMP sockets are open)",
	        (unsigned)geteuid());
	return 0;
}

int privilege_drop(const char *user)
{
	struct target t;

	if (!user)
		user = "";
	if (geteuid() != 0)
		return trim_unprivileged(user);
	if (!user[0]) {
		log_msg(LOG_WARNING, "running as root: set agent { user = \"...\" } to drop "
		                     "privileges once the ICMP sockets are open");
		return 0;
	}
	if (target_lookup(user, &t) < 0)
		return -1;
	if (t.uid == 0) {
		log_msg(LOG_WARNING, "agent.user '%s' is root: privileges are not dropped", user);
		return 0;
	}
	return switch_user(&t);
}

/* ---- judging files for the user to come ---- */

/* The user privilege_drop() will switch to; NULL when it will not switch
 * (not root, no user) or cannot (unknown user: its error to report). */
static const struct passwd *user_to_come(const char *user)
{
	return geteuid() == 0 && user && user[0] ? getpwnam(user) : NULL;
}

uid_t privilege_run_uid(const char *user)
{
	const struct passwd *pw = user_to_come(user);

	return pw ? pw->pw_uid : geteuid();
}

/* Opens with the user's fs ids (and root's supplementary groups, which a
 * root daemon rarely has), so modes and directories count as they will. */
void privilege_warn_unreadable(const char *path, const char *user)
{
	const struct passwd *pw = user_to_come(user);

	if (!pw || pw->pw_uid == 0)
		return;
	uid_t uid = pw->pw_uid;
	setfsgid(pw->pw_gid);
	setfsuid(uid);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int err = errno;
	setfsuid(0);
	setfsgid(0);
	if (fd >= 0) {
		close(fd);
		return;
	}
	log_msg(LOG_WARNING,
	        "%s: agent.user '%s' (uid %u) cannot read it (%s), so a reload (SIGHUP) will "
	        "fail once root is dropped: chown %s %s and keep mode 600",
	        path, user, (unsigned)uid, strerror(err), user, path);
}
