/*
 * linktype.h - what a capture file's link-layer header type means on this
 * host, as libpcap would have it: the LINKTYPE_ number in a file becomes
 * the DLT_ the decoder knows (they differ for a few old values), each link
 * type has a largest sane packet, and byte-swapped files have a few
 * pseudo-headers whose fields were written in the writer's byte order.
 * Keeping libpcap's answers here is what lets tests/unit/test-two-readers.c
 * demand the same packets from both readers.
 */
#ifndef FP_SOURCE_LINKTYPE_H
#define FP_SOURCE_LINKTYPE_H

#include <stdint.h>

/* The DLT_ of a file's LINKTYPE_ (its low 16 bits only for pcap). */
int fp_linktype_to_dlt(int linktype);

/* The largest captured length believed for `dlt` (libpcap: 256 KiB for
 * most, more for D-Bus, EBHSCR, USBPcap). */
uint32_t fp_linktype_max_snaplen(int dlt);

/* A file's snapshot length as used: 0 or too large means the maximum. */
uint32_t fp_linktype_adjust_snaplen(int dlt, uint32_t snaplen);

/* For a byte-swapped file: puts the host-order fields of the packet's
 * pseudo-header (pflog, Linux cooked CAN, NFLOG TLVs) in our byte order,
 * in place, as libpcap does. Linux USB headers are not converted (the
 * decoder does not read them). */
void fp_linktype_swap_pseudo_header(int dlt, uint8_t *data, uint32_t caplen, uint32_t wirelen);

#endif
