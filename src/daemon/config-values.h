/*
 * config-values.h - the daemon's own kinds of value, judged one at a time:
 * interface names, BPF filters, rotation intervals, metrics addresses.
 *
 * Like lib/parse-value, each check takes the whole text and on refusal
 * leaves one sentence about the value alone in `err`; the configuration
 * loader puts file, line, column and key in front. Values every front end
 * types (durations, sizes...) are lib/parse-value's; these are the ones
 * only the daemon has.
 */
#ifndef FP_DAEMON_CONFIG_VALUES_H
#define FP_DAEMON_CONFIG_VALUES_H

#include <stdint.h>

#include "daemon/daemon-config.h"
#include "lib/error.h"

/* A name the kernel can give a network interface: 1 to IF_NAMESIZE - 1
 * bytes, no '/', no blanks. */
int fpd_check_interface_name(const char *name, struct fp_error *err);

/* Whether `filter` compiles as a BPF filter for at least one common link
 * type (the interface's own is known only once it is open). */
int fpd_check_filter(const char *filter, struct fp_error *err);

/* A rotation interval: 1 s to 24 h, dividing a day evenly so that files
 * start on wall-clock boundaries (…:00, :15, :30, :45 for 15m). */
int fpd_check_rotate(int64_t ns, const char *text, struct fp_error *err);

#endif
