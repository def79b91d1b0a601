/*
 * config-values.c - interface names, BPF filters, rotation intervals and
 * metrics addresses, checked without touching the system (see
 * config-values.h and fpd_listen_parse() in config.h).
 *
 * Nothing here opens a device or resolves a name: a configuration is
 * checked the same way on the sensor and on a laptop (--check-config).
 */
#include "config.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "daemon/config-values.h"

#define QUOTE "'%.80s'"
#define NS_PER_SEC 1000000000LL
#define NS_PER_DAY (86400 * NS_PER_SEC)

int fpd_check_interface_name(const char *name, struct fp_error *err)
{
	size_t len = strlen(name);

	if (len == 0)
		return fp_error_set(err, "an interface name must not be empty");
	if (len >= IF_NAMESIZE)
		return fp_error_set(err, QUOTE " is too long for an interface name (at most %d characters)", name,
				    IF_NAMESIZE - 1);
	if (strpbrk(name, "/ \t\r\n") != NULL)
		return fp_error_set(err, QUOTE " is not an interface name (no '/' or blanks)", name);
	return 0;
}

/* Compiles `filter` for one link type; fills `msg` with libpcap's words. */
static int compiles_for(const char *filter, int linktype, char *msg, size_t msgsz)
{
	pcap_t *p = pcap_open_dead(linktype, 262144);
	struct bpf_program prog;
	int ok;

	if (p == NULL) {
		snprintf(msg, msgsz, "out of memory");
		return 0;
	}
	ok = pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) == 0;
	if (ok)
		pcap_freecode(&prog);
	else
		snprintf(msg, msgsz, "%s", pcap_geterr(p));
	pcap_close(p);
	return ok;
}

int fpd_check_filter(const char *filter, struct fp_error *err)
{
	/* A filter may name fields only some links have ("wlan type mgt");
	 * it is refused here only if no common link type takes it, and the
	 * message is Ethernet's, the usual case. */
	static const int linktypes[] = { DLT_EN10MB, DLT_LINUX_SLL2, DLT_IEEE802_11_RADIO, DLT_RAW };
	char first[PCAP_ERRBUF_SIZE] = "", other[PCAP_ERRBUF_SIZE];

	if (compiles_for(filter, linktypes[0], first, sizeof(first)))
		return 0;
	for (size_t i = 1; i < sizeof(linktypes) / sizeof(linktypes[0]); i++)
		if (compiles_for(filter, linktypes[i], other, sizeof(other)))
			return 0;
	return fp_error_set(err, "the BPF filter " QUOTE " does not compile: %s", filter, first);
}

int fpd_check_rotate(int64_t ns, const char *text, struct fp_error *err)
{
	if (ns < NS_PER_SEC || ns > NS_PER_DAY)
		return fp_error_set(err, QUOTE " is out of range (use 1s to 24h)", text);
	if (NS_PER_DAY % ns != 0)
		return fp_error_set(err, QUOTE " does not divide a day evenly, so files could not start on "
				    "wall-clock boundaries (use e.g. 1m, 5m, 10m, 15m, 30m, 1h, 2h, 24h)", text);
	return 0;
}

/* ------------------------------------------------------ listen address */

static int parse_port(const char *text, const char *port, uint16_t *out, struct fp_error *err)
{
	size_t n = strspn(port, "0123456789");
	unsigned long v = 0;

	if (*port == '\0')
		return fp_error_set(err, QUOTE " has no port (use e.g. 127.0.0.1:9477)", text);
	if (port[n] != '\0' || n > 5)
		return fp_error_set(err, QUOTE " has no valid port: '%.20s' (use 1 to 65535)", text, port);
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned long)(port[i] - '0');
	if (v < 1 || v > 65535)
		return fp_error_set(err, QUOTE " has port %lu, out of range (use 1 to 65535)", text, v);
	*out = (uint16_t)v;
	return 0;
}

/* A DNS name: labels of letters, digits and '-', dot-separated. */
static bool is_host_name(const char *h)
{
	size_t label = 0, len = strlen(h);

	if (len == 0 || len > 253)
		return false;
	for (const char *s = h; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
			   *s == '-') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0;
}

static int check_v6(const char *text, struct fpd_listen_addr *out, struct fp_error *err)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, out->host, &a) != 1)
		return fp_error_set(err, QUOTE ": '%.60s' is not an IPv6 address", text, out->host);
	out->loopback = IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127);
	return 0;
}

static int check_host(const char *text, struct fpd_listen_addr *out, struct fp_error *err)
{
	struct in_addr a;

	if (out->host[0] == '\0')
		return fp_error_set(err, QUOTE " has no host (use 127.0.0.1:PORT for this machine only, or "
				    "0.0.0.0:PORT with allow_remote: true)", text);
	if (strchr(out->host, ':') != NULL)
		return fp_error_set(err, QUOTE ": put an IPv6 address in brackets, e.g. [::1]:9477", text);
	if (inet_pton(AF_INET, out->host, &a) == 1) {
		out->loopback = (ntohl(a.s_addr) >> 24) == 127;
		return 0;
	}
	if (!is_host_name(out->host))
		return fp_error_set(err, QUOTE ": '%.60s' is neither an IP address nor a host name", text,
				    out->host);
	out->loopback = strcasecmp(out->host, "localhost") == 0;
	return 0;
}

int fpd_listen_parse(const char *text, struct fpd_listen_addr *out, struct fp_error *err)
{
	struct fpd_listen_addr a = { .host = "" };
	const char *colon, *host = text;
	size_t hostlen;
	bool v6 = text[0] == '[';

	if (v6) {
		const char *close = strchr(text, ']');

		if (close == NULL || close[1] != ':')
			return fp_error_set(err, QUOTE " is not [IPv6]:PORT (use e.g. [::1]:9477)", text);
		host = text + 1;
		hostlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL)
			return fp_error_set(err, QUOTE " is not HOST:PORT (use e.g. 127.0.0.1:9477)", text);
		hostlen = (size_t)(colon - text);
	}
	if (hostlen >= sizeof(a.host))
		return fp_error_set(err, QUOTE ": the host is too long", text);
	memcpy(a.host, host, hostlen);
	a.host[hostlen] = '\0';
	if (parse_port(text, colon + 1, &a.port, err) < 0)
		return -1;
	if ((v6 ? check_v6(text, &a, err) : check_host(text, &a, err)) < 0)
		return -1;
	*out = a;
	return 0;
}
