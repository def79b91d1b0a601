/*
 * main.c - the flowprep command: dispatch to a subcommand.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/log.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: flowprep COMMAND [OPTIONS] ARGS...\n"
		"\n"
		"Turn network traffic into clean, typed, ML-ready flow tables.\n"
		"\n"
		"Commands:\n"
		"  pcap INPUT... OUTPUT   captures (pcap/pcapng) to bidirectional flow records (CSV or Parquet)\n"
		"  peek FILE              show the first rows (or --schema) of a Parquet or CSV file\n"
		"\n"
		"Options:\n"
		"  -h, --help             this help; `flowprep COMMAND --help` for a command's options\n"
		"  -V, --version          print the version\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	fp_log_setup("flowprep", FP_LOG_STYLE_CLI, FP_LOG_INFO);
	if (cmd == NULL) {
		usage(stderr);
		return FP_EXIT_FAILURE;
	}
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return FP_EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("flowprep %s\n", PACKAGE_VERSION);
		return FP_EXIT_OK;
	}
	if (strcmp(cmd, "pcap") == 0)
		return cmd_pcap(argc - 1, argv + 1);
	if (strcmp(cmd, "peek") == 0)
		return cmd_peek(argc - 1, argv + 1);
	if (strcmp(cmd, "canonicalize") == 0) return cmd_canonicalize(argc - 1, argv + 1);
	fp_log_err("unknown command '%s' (try flowprep --help)", cmd);
	return FP_EXIT_FAILURE;
}
