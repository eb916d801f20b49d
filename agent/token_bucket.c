/*
 * token_bucket: refill on take, from the time elapsed since the last take.
 * See token_bucket.h.
 */
#include "token_bucket.h"

void token_bucket_init(struct token_bucket *b, unsigned rate, unsigned burst, uint64_t now_ms)
{
	b->rate = rate;
	b->burst = burst;
	b->milli = (uint64_t)burst * 1000u; /* start full: the first burst is allowed */
	b->last_ms = now_ms;
}

void token_bucket_set(struct token_bucket *b, unsigned rate, unsigned burst)
{
	b->rate = rate;
	b->burst = burst;
	if (b->milli > (uint64_t)burst * 1000u)
		b->milli = (uint64_t)burst * 1000u;
}

bool token_bucket_take(struct token_bucket *b, uint64_t now_ms)
{
	uint64_t cap = (uint64_t)b->burst * 1000u;

	/* rate tokens per second = rate milli-tokens per millisecond. */
	if (now_ms > b->last_ms) {
		uint64_t earned = (now_ms - b->last_ms) * b->rate;
		b->milli = cap - b->milli < earned ? cap : b->milli + earned;
		b->last_ms = now_ms;
	}
	if (b->milli < 1000u)
		return false;
	b->milli -= 1000u;
	return true;
}
