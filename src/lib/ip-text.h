/*
 * ip-text.h - an IP address as text: IPv4 dotted quad, IPv6 in RFC 5952
 * form. Shared by everything that writes addresses (flow rows, the canonical
 * schema's readers, the coming JSON and Kafka output).
 */
#ifndef FP_LIB_IP_TEXT_H
#define FP_LIB_IP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define FP_IP_TEXT_MAX 46	/* INET6_ADDRSTRLEN: the longest text plus NUL */

/* Writes the text of `addr` (4 bytes for ip_version 4, else 16) into buf,
 * which holds at least FP_IP_TEXT_MAX bytes; returns its length. */
size_t fp_ip_text(const uint8_t *addr, int ip_version, char *buf);

#endif
