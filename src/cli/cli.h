/*
 * cli.h - what the subcommands of the flowprep command share.
 */
#ifndef FP_CLI_CLI_H
#define FP_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

/* Exit statuses (documented in the README). */
#define FP_EXIT_OK 0
#define FP_EXIT_FAILURE 1	/* bad usage, or no output could be written */
#define FP_EXIT_INPUT_ERRORS 2	/* output written, but some input was unreadable or corrupt */

int cmd_pcap(int argc, char **argv);
int cmd_peek(int argc, char **argv);
int cmd_canonicalize(int argc, char **argv);

/* Parses a non-negative integer with an optional k/M/G suffix (×1000). */
int parse_count(const char *text, uint64_t *out);

/* Formats 1234567 as "1,234,567" into buf (returns buf). */
char *format_thousands(uint64_t v, char *buf, size_t size);
/* Formats a byte count as "1.5 GB". */
char *format_bytes(uint64_t v, char *buf, size_t size);

double monotonic_seconds(void);

#endif
