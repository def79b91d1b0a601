/*
 * main.c - the flowprep command: dispatch to a subcommand. Each subcommand
 * sets its own log prefix ("flowprep pcap: error: ..."), so a message says
 * which command it came from.
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
		"  pcap INPUT... OUTPUT   captures (pcap/pcapng) to bidirectional flow records (CSV, Parquet, JSON lines)\n"
		"  peek FILE              show the first rows (or --schema) of a Parquet or CSV file\n"
		"  help COMMAND           a command's options (the same as flowprep COMMAND --help)\n"
		"\n"
		"Options:\n"
		"  -h, --help             this help; `flowprep COMMAND --help` for a command's options\n"
		"  -V, --version          print the version\n"
		"\n"
		"Examples:\n"
		"  flowprep pcap capture.pcap flows.parquet\n"
		"  tcpdump -i eth0 -w - | flowprep pcap -f csv - flows.csv\n"
		"  flowprep peek flows.parquet\n"
		"\n"
		"See flowprep(1) for more.\n");
}

static int run_command(const char *cmd, int argc, char **argv)
{
	if (strcmp(cmd, "pcap") == 0)
		return cmd_pcap(argc, argv);
	if (strcmp(cmd, "peek") == 0)
		return cmd_peek(argc, argv);
	if (strcmp(cmd, "canonicalize") == 0)
		return cmd_canonicalize(argc, argv);
	fp_log_err("unknown command '%s' (try flowprep --help)", cmd);
	return FP_EXIT_FAILURE;
}

/* `flowprep help CMD` is `flowprep CMD --help`. */
static int help_command(int argc, char **argv)
{
	char *args[3] = { argv[2], (char *)"--help", NULL };

	if (argc < 3) {
		usage(stdout);
		return FP_EXIT_OK;
	}
	return run_command(argv[2], 2, args);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	fp_log_setup("flowprep", FP_LOG_STYLE_CLI, FP_LOG_INFO);
	if (cmd == NULL) {
		usage(stderr);
		return FP_EXIT_FAILURE;
	}
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		return usage(stdout), FP_EXIT_OK;
	if (strcmp(cmd, "help") == 0)
		return help_command(argc, argv);
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("flowprep %s\n", PACKAGE_VERSION);
		return FP_EXIT_OK;
	}
	if (cmd[0] == '-') {
		fp_log_err("unknown option '%s' (try flowprep --help)", cmd);
		return FP_EXIT_FAILURE;
	}
	return run_command(cmd, argc - 1, argv + 1);
}
