/*
 * libFuzzer target: icmp_reply_parse(), the one function that reads bytes
 * from the network, for both families and both socket kinds (raw IPv4 sees
 * the IP header and checks the checksum; the others start at ICMP).
 *
 * Beyond "no crash", it checks the parser's promises: what it accepts has a
 * known kind, and a quoted destination has the socket's family.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "probe_icmp.h"

static void check(const uint8_t *data, size_t size, int family, int raw)
{
	struct icmp_reply r;

	if (icmp_reply_parse(data, size, family, raw, &r) < 0)
		return;
	if (r.kind < ICMP_KIND_ECHO_REPLY || r.kind > ICMP_KIND_OTHER_ERROR)
		abort();
	if (r.has_dst && r.dst.family != family)
		abort();
	if (r.has_dst && r.kind != ICMP_KIND_UNREACHABLE && r.kind != ICMP_KIND_OTHER_ERROR)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, AF_INET, 1);
	check(data, size, AF_INET, 0);
	check(data, size, AF_INET6, 1);
	check(data, size, AF_INET6, 0);
	/* The checksum must be total over any length, odd ones included. */
	(void)icmp_checksum(data, size);
	return 0;
}
