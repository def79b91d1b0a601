/*
 * protocol.h - IP protocol names as exports write them ("tcp", "UDP",
 * "icmp", "ipv6-icmp"...) to IANA protocol numbers.
 *
 * The names are the IANA keywords plus the spellings flow tools use
 * (Zeek, Suricata, nfdump, UNSW-NB15, goflow2); matching ignores letter
 * case. A name that is no IP protocol (UNSW-NB15's "arp", "any") is an
 * error, never a guess.
 */
#ifndef FP_CANON_PROTOCOL_H
#define FP_CANON_PROTOCOL_H

#include <stddef.h>

/* The protocol number of `name` (len bytes), or -1. */
int fp_canon_protocol_number(const char *name, size_t len);

#endif
