/*
 * secrets and privilege: the permission rule for secret files, and the
 * capability reader (the privilege drop itself is tested end to end in
 * tests/integration/privilege.sh, since it needs root and a fresh process).
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privilege.h"
#include "secrets.h"

static char path[64];

static void make_file(mode_t mode)
{
	snprintf(path, sizeof(path), "/tmp/tslcd-secret-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

START_TEST(private_file_passes)
{
	char why[512] = "";

	make_file(0600);
	ck_assert_msg(secrets_file_private(path, geteuid(), why, sizeof(why)), "%s", why);
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_msg(secrets_file_private(path, geteuid(), why, sizeof(why)), "%s", why);
	unlink(path);
}
END_TEST

static const struct {
	mode_t mode;
	const char *words;
} open_modes[] = {
    {0640, "readable by group or others (mode 0640)"},
    {0604, "readable by group or others (mode 0604)"},
    {0644, "readable"},
    {0620, "writable by group or others (mode 0620)"},
    {0602, "writable"},
};

START_TEST(open_file_refused)
{
	char why[512] = "";

	make_file(open_modes[_i].mode);
	ck_assert(!secrets_file_private(path, geteuid(), why, sizeof(why)));
	ck_assert_msg(strstr(why, path) == why, "message must start with the path: %s", why);
	ck_assert_msg(strstr(why, open_modes[_i].words), "'%s' not in: %s", open_modes[_i].words,
	              why);
	ck_assert_msg(strstr(why, "chmod 600"), "no remedy in: %s", why);
	unlink(path);
}
END_TEST

START_TEST(not_a_file_refused)
{
	char why[512] = "";

	ck_assert(!secrets_file_private("/tmp", geteuid(), why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "not a regular file"));
	ck_assert(!secrets_file_private("/nonexistent/key", geteuid(), why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "/nonexistent/key: "));
}
END_TEST

/* Started as root with `user` (README, "Secrets"), the config is judged
 * against that user, so one file owned by it passes at start and on reload;
 * a file of a third user is still refused. */
START_TEST(owner_is_the_agent_user)
{
	char why[512] = "";

	if (geteuid() != 0)
		return; /* chown needs root */
	make_file(0600);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	ck_assert_msg(secrets_file_private(path, 65534, why, sizeof(why)), "%s", why);
	ck_assert(!secrets_file_private(path, 4242, why, sizeof(why)));
	ck_assert_msg(
	    strstr(why, "owned by uid 65534, neither root nor the agent's user (uid 4242)"), "%s",
	    why);
	ck_assert_int_eq(chown(path, 0, 0), 0);
	ck_assert_msg(secrets_file_private(path, 65534, why, sizeof(why)), "root may own it: %s",
	              why);
	unlink(path);
}
END_TEST

START_TEST(run_uid_is_the_user_to_come)
{
	if (geteuid() != 0)
		return;
	ck_assert_uint_eq(privilege_run_uid("nobody"), 65534);
	ck_assert_uint_eq(privilege_run_uid(""), 0);
	ck_assert_uint_eq(privilege_run_uid(NULL), 0);
	ck_assert_uint_eq(privilege_run_uid("tslcd-no-such-user"), 0);
}
END_TEST

START_TEST(caps_readable)
{
	uint64_t eff = 1, prm = 1;

	ck_assert_int_eq(privilege_caps(&eff, &prm), 0);
	ck_assert((eff & ~prm) == 0); /* effective is a subset of permitted */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("secrets");
	TCase *tc = tcase_create("secrets");

	tcase_add_test(tc, private_file_passes);
	tcase_add_loop_test(tc, open_file_refused, 0, sizeof(open_modes) / sizeof(open_modes[0]));
	tcase_add_test(tc, not_a_file_refused);
	tcase_add_test(tc, owner_is_the_agent_user);
	tcase_add_test(tc, run_uid_is_the_user_to_come);
	tcase_add_test(tc, caps_readable);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
