/*
 * ip-text.c - addresses as text (see ip-text.h). IPv4 is formatted by hand:
 * it is most of the addresses of most captures and inet_ntop's locale-safe
 * path costs several times more; IPv6 goes through inet_ntop, which
 * implements RFC 5952's zero compression.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "lib/ip-text.h"

static size_t put_decimal(char *p, unsigned v)
{
	if (v >= 100) {
		p[0] = (char)('0' + v / 100);
		p[1] = (char)('0' + v / 10 % 10);
		p[2] = (char)('0' + v % 10);
		return 3;
	}
	if (v >= 10) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
		return 2;
	}
	p[0] = (char)('0' + v);
	return 1;
}

size_t fp_ip_text(const uint8_t *addr, int ip_version, char *buf)
{
	size_t n = 0;

	if (ip_version == 4) {
		for (int i = 0; i < 4; i++) {
			if (i)
				buf[n++] = '.';
			n += put_decimal(buf + n, addr[i]);
		}
		buf[n] = '\0';
		return n;
	}
	if (inet_ntop(AF_INET6, addr, buf, FP_IP_TEXT_MAX) == NULL)
		buf[0] = '\0';
	return strlen(buf);
}
