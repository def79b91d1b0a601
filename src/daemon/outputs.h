/*
 * outputs.h - where the daemon's flows go: the output streams of live
 * captures and spool files, as writer streams (writer.h) whose sinks are
 * made on the output thread.
 *
 * Live: one file per source, format and rotation interval,
 *   DIR/date=YYYY-MM-DD/hour=HH/HOST_SOURCE_YYYYmmddTHHMMSSZ.EXT
 * named by the wall-clock interval it covers (never overwriting a file).
 * Spool: one file per spool file and format, in the hour of the capture's
 * first packet,
 *   DIR/date=YYYY-MM-DD/hour=HH/HOST_spool_NAME_FIRSTNS.EXT
 * replaced atomically, so a spool file metered again after a crash
 * replaces its earlier output instead of adding a second copy.
 */
#ifndef FP_DAEMON_OUTPUTS_H
#define FP_DAEMON_OUTPUTS_H

#include <stdint.h>

struct fpd_daemon;

uint32_t fpd_output_open_live(struct fpd_daemon *d, const char *source);
uint32_t fpd_output_open_spool(struct fpd_daemon *d, const char *spool_name, int64_t first_packet_ns);

/* Removes hidden temporary files this host left in the output tree (a
 * crash or SIGKILL while writing); published files are never touched. */
void fpd_output_sweep(struct fpd_daemon *d);

#endif
