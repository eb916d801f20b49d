/*
 * unit: the one main() every unit-test program shares.  A test file
 * defines `Suite *suite(void)` and ends with UNIT_MAIN.
 */
#ifndef TSLCD_UNIT_H
#define TSLCD_UNIT_H

#include <check.h>

static inline int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#define UNIT_MAIN(suite_fn)                                                                        \
	int main(void)                                                                             \
	{                                                                                          \
		return unit_run(suite_fn());                                                       \
	}

#endif
