/*
 * kafka-mock.c - librdkafka's mock Kafka cluster as a process, for tests.
 *
 *   kafka-mock [-b BROKERS] [-p PARTITIONS] [-t TOPIC]... [-o ADDRFILE]
 *
 * Starts a mock cluster of BROKERS brokers (default 1) listening on
 * loopback, creates each TOPIC with PARTITIONS partitions (default 4),
 * prints the bootstrap address ("127.0.0.1:PORT,...") as one line on
 * standard output (and into ADDRFILE, written whole then renamed, so a test
 * can wait for the file), and serves until SIGTERM or SIGINT.
 *
 * Outages on demand: SIGUSR1 takes every broker down
 * (rd_kafka_mock_broker_set_down: connections closed, new ones refused
 * until up), SIGUSR2 brings them up again. Each change is logged on
 * standard error ("kafka-mock: brokers down").
 *
 * The mock cluster lives inside an rd_kafka_t that this program makes and
 * never uses for anything else; clients (kcat, kafkajs, flowprep) reach it
 * over TCP like a real cluster.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_TOPICS 16

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t down_requested;
static volatile sig_atomic_t up_requested;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		down_requested = 1;
	else if (sig == SIGUSR2)
		up_requested = 1;
	else
		stop_requested = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: kafka-mock [-b BROKERS] [-p PARTITIONS] [-t TOPIC]... [-o ADDRFILE]\n");
	exit(2);
}

static int parse_count(const char *text, int max)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v < 1 || v > max)
		usage();
	return (int)v;
}

static int write_address_file(const char *path, const char *addr)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return -1;
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", addr);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

static void set_all_brokers(rd_kafka_mock_cluster_t *mc, int nbrokers, int up)
{
	for (int id = 1; id <= nbrokers; id++) {
		rd_kafka_resp_err_t e = up ? rd_kafka_mock_broker_set_up(mc, id)
					   : rd_kafka_mock_broker_set_down(mc, id);
		if (e)
			fprintf(stderr, "kafka-mock: broker %d: %s\n", id, rd_kafka_err2str(e));
	}
	fprintf(stderr, "kafka-mock: brokers %s\n", up ? "up" : "down");
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	const char *topics[MAX_TOPICS];
	int ntopics = 0, nbrokers = 1, npartitions = 4, opt;
	const char *addr_file = NULL;
	char errstr[512];

	while ((opt = getopt(argc, argv, "b:p:t:o:h")) != -1) {
		switch (opt) {
		case 'b': nbrokers = parse_count(optarg, 16); break;
		case 'p': npartitions = parse_count(optarg, 1024); break;
		case 't':
			if (ntopics == MAX_TOPICS)
				usage();
			topics[ntopics++] = optarg;
			break;
		case 'o': addr_file = optarg; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	install_signals();

	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
	if (!rk) {
		fprintf(stderr, "kafka-mock: rd_kafka_new: %s\n", errstr);
		return 1;
	}
	rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, nbrokers);
	if (!mc) {
		fprintf(stderr, "kafka-mock: could not start the mock cluster\n");
		rd_kafka_destroy(rk);
		return 1;
	}
	for (int i = 0; i < ntopics; i++) {
		rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, topics[i], npartitions, 1);
		if (e) {
			fprintf(stderr, "kafka-mock: topic %s: %s\n", topics[i], rd_kafka_err2str(e));
			rd_kafka_mock_cluster_destroy(mc);
			rd_kafka_destroy(rk);
			return 1;
		}
	}
	const char *bootstraps = rd_kafka_mock_cluster_bootstraps(mc);
	printf("%s\n", bootstraps);
	fflush(stdout);
	if (addr_file && write_address_file(addr_file, bootstraps) < 0) {
		fprintf(stderr, "kafka-mock: %s: %s\n", addr_file, strerror(errno));
		stop_requested = 1;
	}

	while (!stop_requested) {
		if (down_requested) {
			down_requested = 0;
			set_all_brokers(mc, nbrokers, 0);
		}
		if (up_requested) {
			up_requested = 0;
			set_all_brokers(mc, nbrokers, 1);
		}
		usleep(20000);	/* signals interrupt it; 20 ms bounds the reaction */
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
