/*
 * token_bucket: the global rate limit on notifications: `rate` per second
 * on average, at most `burst` at once.
 *
 * Contract: tokens are kept in thousandths (milli) so refilling stays
 * integral; 0 <= milli <= burst * 1000 at all times.  A bucket starts full
 * (the first burst is allowed); time is the caller's monotonic clock in ms
 * and never moving backwards is assumed (a step back earns nothing).
 * No I/O, no globals: the caller decides what an empty bucket costs.
 */
#ifndef TSLCD_TOKEN_BUCKET_H
#define TSLCD_TOKEN_BUCKET_H

#include <stdbool.h>
#include <stdint.h>

struct token_bucket {
	uint64_t milli; /* tokens x 1000 */
	uint64_t last_ms;
	unsigned rate, burst;
};

void token_bucket_init(struct token_bucket *b, unsigned rate, unsigned burst, uint64_t now_ms);
/* Change rate/burst (config reload) keeping the tokens earned so far. */
void token_bucket_set(struct token_bucket *b, unsigned rate, unsigned burst);
/* Take one token; false when the bucket is empty (the caller suppresses). */
bool token_bucket_take(struct token_bucket *b, uint64_t now_ms);

#endif
