/*
 * Probe target addresses: a sockaddr round trip keeps the address and
 * sets the port, equality ignores the unused bytes of an IPv4 address, and
 * the text form is what inet_ntop gives.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "probe_addr.h"

static struct probe_addr parse(int family, const char *text)
{
	struct probe_addr a = {.family = (uint16_t)family};

	ck_assert_int_eq(inet_pton(family, text, a.bytes), 1);
	return a;
}

START_TEST(sockaddr_round_trip)
{
	const struct probe_addr in[] = {parse(AF_INET, "127.0.0.1"), parse(AF_INET6, "::1")};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct sockaddr_storage ss;
		struct probe_addr back;
		socklen_t sl = probe_addr_to_sockaddr(&in[i], 161, &ss);

		ck_assert_int_eq(ss.ss_family, in[i].family);
		ck_assert_uint_eq(sl, in[i].family == AF_INET ? sizeof(struct sockaddr_in)
		                                              : sizeof(struct sockaddr_in6));
		ck_assert_uint_eq(in[i].family == AF_INET
		                      ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
		                      : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port),
		                  161);
		ck_assert(probe_addr_from_sockaddr((struct sockaddr *)&ss, sl, &back));
		ck_assert(probe_addr_equal(&back, &in[i]));
		/* A truncated sockaddr is refused. */
		ck_assert(!probe_addr_from_sockaddr((struct sockaddr *)&ss, sl - 1, &back));
	}
}
END_TEST

START_TEST(equal_and_text)
{
	struct probe_addr a = parse(AF_INET, "127.0.0.2"), b = a, c = parse(AF_INET6, "::1");
	char buf[INET6_ADDRSTRLEN], tiny[4];

	b.bytes[10] = 7; /* beyond an IPv4 address: not compared */
	ck_assert(probe_addr_equal(&a, &b));
	ck_assert(!probe_addr_equal(&a, &c));
	ck_assert_str_eq(probe_addr_str(&a, buf, sizeof(buf)), "127.0.0.2");
	ck_assert_str_eq(probe_addr_str(&c, buf, sizeof(buf)), "::1");
	ck_assert_str_eq(probe_addr_str(&a, tiny, sizeof(tiny)), "?");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probe_addr");
	TCase *tc = tcase_create("probe_addr");

	tcase_add_test(tc, sockaddr_round_trip);
	tcase_add_test(tc, equal_and_text);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
