/*
 * flowprepd.c - the sensor daemon's entry point: options, configuration,
 * logging style, then the loop (daemon.c). It stays in the foreground
 * (systemd's Type=notify runs it so); logs go to stderr with <N> syslog
 * priority prefixes, which journald reads.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "daemon/daemon.h"
#include "lib/log.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: flowprepd [-c FILE] [--check-config]\n"
		"\n"
		"Meters live interfaces and the capture files dropped into a spool directory\n"
		"into flow records, written as hourly Parquet/CSV files (see flowprepd.yaml).\n"
		"\n"
		"  -c, --config FILE   configuration (default " FPD_DEFAULT_CONFIG ")\n"
		"      --check-config  validate the configuration and exit: 0 valid, 1 not\n"
		"      --version       print the version\n"
		"  -h, --help          this help\n"
		"\n"
		"Signals: SIGHUP reloads the configuration; SIGTERM/SIGINT end every flow,\n"
		"publish every file and exit 0.\n");
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = FPD_DEFAULT_CONFIG;
	bool check = false;
	struct fpd_config cfg;
	struct fpd_daemon d;
	struct fp_error err = { "" };
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'C': check = true; break;
		case 'V': printf("flowprepd %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "flowprepd: unexpected argument '%s'\n", argv[optind]);
		return 1;
	}
	fp_log_setup("flowprepd", check ? FP_LOG_STYLE_CLI : FP_LOG_STYLE_JOURNAL, FP_LOG_INFO);
	if (fpd_config_load(path, &cfg, &err) < 0) {
		fp_log_err("%s", err.msg);
		return 1;
	}
	if (check) {
		printf("%s: valid\n", path);
		fpd_config_free(&cfg);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	if (fpd_daemon_init(&d, &cfg, &err) < 0) {
		fp_log_err("%s", err.msg);
		fpd_daemon_fini(&d);
		return 1;
	}
	rc = fpd_daemon_run(&d);
	fpd_daemon_fini(&d);
	fp_log(FP_LOG_NOTICE, "stopped");
	return rc;
}
