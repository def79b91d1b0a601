/*
 * pcap-file.h - packets from a pcap or pcapng file, through libpcap.
 *
 * The file is opened with fopen() and a 1 MiB stdio buffer handed to
 * pcap_fopen_offline_with_tstamp_precision(): libpcap's own stream reads
 * 4 KiB at a time, which costs nearly half the read time (see
 * design/PERFORMANCE.md). Timestamps come in nanoseconds whatever the
 * file's resolution. A read error names the file and the packet number.
 */
#ifndef FP_SOURCE_PCAP_FILE_H
#define FP_SOURCE_PCAP_FILE_H

#include <stdint.h>

#include "lib/error.h"
#include "source/source.h"

struct fp_pcap_file;

struct fp_pcap_file *fp_pcap_file_open(const char *path, struct fp_error *err);
void fp_pcap_file_close(struct fp_pcap_file *f);

/* 1: a packet, 0: end of file, -1: the file is truncated or corrupt (err
 * says where; the packets before it were delivered). */
int fp_pcap_file_next(struct fp_pcap_file *f, struct fp_raw_packet *out, struct fp_error *err);

int fp_pcap_file_linktype(const struct fp_pcap_file *f);
const char *fp_pcap_file_path(const struct fp_pcap_file *f);
uint64_t fp_pcap_file_packet_number(const struct fp_pcap_file *f);	/* packets read so far */
uint64_t fp_pcap_file_size(const struct fp_pcap_file *f);		/* bytes, 0 if unknown */
uint64_t fp_pcap_file_offset(const struct fp_pcap_file *f);		/* bytes consumed, for progress */

#endif
