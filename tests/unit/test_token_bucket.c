/*
 * The notification rate limit: the token bucket caps bursts, refills at
 * its rate and only up to the burst.
 */
#include "unit.h"

#include "token_bucket.h"

START_TEST(bucket_burst_then_rate)
{
	struct token_bucket b;
	unsigned sent = 0;

	token_bucket_init(&b, 2, 5, 1000);
	for (int i = 0; i < 50; i++)
		sent += token_bucket_take(&b, 1000);
	ck_assert_uint_eq(sent, 5);              /* the burst, then nothing */
	ck_assert(!token_bucket_take(&b, 1400)); /* 0.8 token earned */
	ck_assert(token_bucket_take(&b, 1500));  /* 1 token */
	/* 10 s at 2/s, offered 100/s: 20 pass. */
	sent = 0;
	for (uint64_t t = 1510; t < 11510; t += 10)
		sent += token_bucket_take(&b, t);
	ck_assert_uint_ge(sent, 19);
	ck_assert_uint_le(sent, 21);
	/* A long silence refills only up to the burst. */
	sent = 0;
	for (int i = 0; i < 50; i++)
		sent += token_bucket_take(&b, 1000000);
	ck_assert_uint_eq(sent, 5);
	token_bucket_set(&b, 2, 1); /* shrinking the burst drops the excess */
	ck_assert(token_bucket_take(&b, 2000000));
	ck_assert(!token_bucket_take(&b, 2000000));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("token_bucket");
	TCase *tc = tcase_create("token_bucket");

	tcase_add_test(tc, bucket_burst_then_rate);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
