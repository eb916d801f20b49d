/*
 * readiness_tls: one small state machine per office endpoint:
 *   idle --timer--> connecting --POLLOUT--> handshaking --done--> idle
 * with a timeout timer over the connecting and handshaking states.
 */
#include "readiness_tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "loop.h"
#include "smallfile.h"

struct tls_job {
	const struct office_cfg *office;
	SSL_CTX *ctx; /* shared, from the cache */
	SSL *ssl;
	int fd;
	bool connected;
	struct loop_timer *next;    /* next check */
	struct loop_timer *timeout; /* running check */
};

/* One SSL_CTX per distinct CA bundle: loading a bundle is the costly part. */
struct ctx_cache_entry {
	char *ca;
	SSL_CTX *ctx;
};

static struct {
	const struct tslcd_config *cfg;
	readiness_tls_done_fn done;
	void *ctx;
	struct tls_job *jobs;
	size_t n;
	struct ctx_cache_entry *cache;
	size_t n_cache;
} T;

/* The configured bundle is read by us, not by OpenSSL's file loader: a
 * path that became a FIFO or a device since the config was checked must
 * not block the loop (smallfile.h). */
static bool ca_load(SSL_CTX *c, const char *path)
{
	char *pem, why[256];
	size_t len;
	int added = 0;

	if (!smallfile_read(path, 0, CONFIG_CA_MAX_BYTES, &pem, &len, why, sizeof(why))) {
		log_msg(LOG_WARNING, "TLS checks: CA bundle '%s': %s", path, why);
		return false;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	STACK_OF(X509_INFO) *infos = bio ? PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL) : NULL;
	X509_STORE *store = SSL_CTX_get_cert_store(c);
	for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);
		added += xi->x509 && X509_STORE_add_cert(store, xi->x509) == 1;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(bio);
	free(pem);
	return added > 0;
}

static SSL_CTX *ctx_new(const char *ca)
{
	SSL_CTX *c = SSL_CTX_new(TLS_client_method());

	if (!c)
		return NULL;
	SSL_CTX_set_min_proto_version(c, TLS1_VERSION);
	/* Verify, but let the handshake finish: an untrusted certificate is a
	 * finding to report, and its expiry still matters. */
	SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
	if (ca[0] ? !ca_load(c, ca) : SSL_CTX_set_default_verify_paths(c) != 1)
		log_msg(LOG_WARNING, "TLS checks: cannot load CA bundle '%s'",
		        ca[0] ? ca : "system");
	return c;
}

static SSL_CTX *ctx_for(const char *ca)
{
	for (size_t i = 0; i < T.n_cache; i++)
		if (!strcmp(T.cache[i].ca, ca))
			return T.cache[i].ctx;
	struct ctx_cache_entry *c = realloc(T.cache, (T.n_cache + 1) * sizeof(*c));
	if (!c)
		return NULL;
	T.cache = c;
	c[T.n_cache] = (struct ctx_cache_entry){.ca = strdup(ca), .ctx = ctx_new(ca)};
	if (!c[T.n_cache].ca || !c[T.n_cache].ctx) {
		free(c[T.n_cache].ca);
		SSL_CTX_free(c[T.n_cache].ctx);
		return NULL;
	}
	return c[T.n_cache++].ctx;
}

static void job_schedule(struct tls_job *j, uint64_t delay_ms);

/* Tear the connection down; no I/O waits (a close_notify is best effort). */
static void job_close(struct tls_job *j)
{
	if (j->timeout)
		loop_timer_cancel(j->timeout);
	j->timeout = NULL;
	if (j->ssl) {
		SSL_shutdown(j->ssl);
		SSL_free(j->ssl);
		j->ssl = NULL;
	}
	if (j->fd >= 0) {
		loop_fd_del(j->fd);
		close(j->fd);
		j->fd = -1;
	}
	j->connected = false;
}

static void job_finish(struct tls_job *j, const struct tls_result *r)
{
	job_close(j);
	if (r->verify != TLS_OK)
		log_msg(LOG_INFO, "office %u: TLS check of %s: %s", j->office->id,
		        j->office->ready.tls_endpoint, r->detail);
	T.done(T.ctx, j->office->id, r);
	job_schedule(j, (uint64_t)T.cfg->readiness.tls_interval_s * 1000u);
}

static void job_fail(struct tls_job *j, const char *why)
{
	struct tls_result r = {.verify = TLS_UNREACHABLE};

	snprintf(r.detail, sizeof(r.detail), "%s", why);
	job_finish(j, &r);
}

/* Whole days to notAfter, rounded down (negative once expired). */
static bool cert_days_left(X509 *cert, int32_t *days)
{
	int d, s;

	if (ASN1_TIME_diff(&d, &s, NULL, X509_get0_notAfter(cert)) != 1)
		return false;
	*days = (int32_t)(s < 0 ? d - 1 : d); /* d and s share their sign */
	return true;
}

static void handshake_done(struct tls_job *j)
{
	struct tls_result r = {.verify = TLS_OK};
	X509 *cert = SSL_get1_peer_certificate(j->ssl);
	long vr = SSL_get_verify_result(j->ssl);

	r.have_cert = cert && cert_days_left(cert, &r.days_left);
	X509_free(cert);
	snprintf(r.protocol, sizeof(r.protocol), "%s", SSL_get_version(j->ssl));
	snprintf(r.cipher, sizeof(r.cipher), "%s", SSL_get_cipher_name(j->ssl));
	if (!cert || vr != X509_V_OK) {
		r.verify = TLS_FAILED;
		snprintf(r.detail, sizeof(r.detail), "certificate does not verify: %s",
		         cert ? X509_verify_cert_error_string(vr) : "no certificate");
	}
	job_finish(j, &r);
}

static void handshake_step(struct tls_job *j)
{
	int rc = SSL_connect(j->ssl);
	char why[128];

	if (rc == 1) {
		handshake_done(j);
		return;
	}
	switch (SSL_get_error(j->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		loop_fd_events(j->fd, POLLIN);
		return;
	case SSL_ERROR_WANT_WRITE:
		loop_fd_events(j->fd, POLLOUT);
		return;
	default:
		snprintf(why, sizeof(why), "handshake failed: %s",
		         ERR_reason_error_string(ERR_peek_last_error())
		             ? ERR_reason_error_string(ERR_peek_last_error())
		             : "connection closed");
		ERR_clear_error();
		job_fail(j, why);
	}
}

static bool ssl_setup(struct tls_job *j)
{
	const struct office_ready_cfg *rc = &j->office->ready;

	j->ssl = SSL_new(j->ctx);
	if (!j->ssl || SSL_set_fd(j->ssl, j->fd) != 1)
		return false;
	if (rc->tls_name[0]) { /* SNI and the name the certificate must carry */
		SSL_set_tlsext_host_name(j->ssl, rc->tls_name);
		SSL_set1_host(j->ssl, rc->tls_name);
	}
	return true;
}

static void on_fd(int fd, short revents, void *arg)
{
	struct tls_job *j = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)revents;
	if (j->connected) {
		handshake_step(j);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		job_fail(j, strerror(err));
		return;
	}
	j->connected = true;
	if (!ssl_setup(j)) {
		job_fail(j, "out of memory");
		return;
	}
	handshake_step(j);
}

static void on_timeout(void *arg)
{
	struct tls_job *j = arg;

	j->timeout = NULL; /* already fired: must not be cancelled */
	job_fail(j, j->connected ? "handshake timed out" : "connect timed out");
}

static socklen_t endpoint_addr(const struct office_ready_cfg *rc, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, rc->tls_host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(rc->tls_port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, rc->tls_host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(rc->tls_port);
		return sizeof(*s6);
	}
	return 0;
}

static void job_start(void *arg)
{
	struct tls_job *j = arg;
	struct sockaddr_storage ss;
	socklen_t sl = endpoint_addr(&j->office->ready, &ss);

	j->next = NULL;
	j->ctx = ctx_for(j->office->ready.tls_ca);
	j->fd =
	    sl && j->ctx ? socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) : -1;
	if (j->fd < 0) {
		job_fail(j, sl ? strerror(errno) : "bad address");
		return;
	}
	if ((connect(j->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) ||
	    loop_fd_add(j->fd, POLLOUT, on_fd, j) < 0) {
		job_fail(j, strerror(errno));
		return;
	}
	j->timeout =
	    loop_timer_add((uint64_t)T.cfg->readiness.tls_timeout_s * 1000u, on_timeout, j);
}

static void job_schedule(struct tls_job *j, uint64_t delay_ms)
{
	j->next = loop_timer_add(delay_ms, job_start, j);
}

int readiness_tls_start(const struct tslcd_config *cfg, readiness_tls_done_fn done, void *ctx)
{
	T.cfg = cfg;
	T.done = done;
	T.ctx = ctx;
	T.n = 0;
	T.jobs = calloc(cfg->n_offices ? cfg->n_offices : 1, sizeof(*T.jobs));
	if (!T.jobs)
		return -1;
	for (size_t i = 0; i < cfg->n_offices; i++) {
		const struct office_cfg *o = &cfg->offices[i];
		if (!o->ready.tls_endpoint[0])
			continue;
		struct tls_job *j = &T.jobs[T.n++];
		*j = (struct tls_job){.office = o, .fd = -1};
		/* Spread the first checks so a large province does not connect
		 * to every endpoint in the same second. */
		job_schedule(j, 200u + (uint64_t)(T.n - 1) * 50u);
	}
	return 0;
}

void readiness_tls_stop(void)
{
	for (size_t i = 0; i < T.n; i++) {
		job_close(&T.jobs[i]);
		loop_timer_cancel(T.jobs[i].next);
	}
	free(T.jobs);
	for (size_t i = 0; i < T.n_cache; i++) {
		SSL_CTX_free(T.cache[i].ctx);
		free(T.cache[i].ca);
	}
	free(T.cache);
	memset(&T, 0, sizeof(T));
}
