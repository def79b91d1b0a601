/*
 * test-spool.c - the spool directory watcher with real inotify events: a
 * start-up scan, files closed after writing, files renamed in, names that
 * must wait (hidden, not captures), compressed captures, and the three ways
 * a file leaves (done/, failed/ with its reason, deleted).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/spool.h"
#include "test.h"

static char dir[] = "/tmp/fp-test-spool-XXXXXX";

static void put_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static bool exists(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return stat(path, &st) == 0;
}

/* Every name ready now, in order, joined by spaces. */
static void drain(struct fp_spool *s, char *out, size_t size)
{
	struct fp_error err = { "" };
	const char *name;
	size_t o = 0;

	out[0] = '\0';
	while ((name = fp_spool_next(s, &err)) != NULL && o < size)
		o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", name);
}

static void test_classify(void)
{
	CHECK_EQ_INT(fp_spool_classify("a.pcap"), FP_SPOOL_CAPTURE);
	CHECK_EQ_INT(fp_spool_classify("A.PCAPNG"), FP_SPOOL_CAPTURE);
	CHECK_EQ_INT(fp_spool_classify("x.cap"), FP_SPOOL_CAPTURE);
	CHECK_EQ_INT(fp_spool_classify(".a.pcap"), FP_SPOOL_IGNORE);
	CHECK_EQ_INT(fp_spool_classify("a.pcap.tmp"), FP_SPOOL_IGNORE);
	CHECK_EQ_INT(fp_spool_classify("notes.txt"), FP_SPOOL_IGNORE);
	CHECK_EQ_INT(fp_spool_classify(".pcap"), FP_SPOOL_IGNORE);
	CHECK_EQ_INT(fp_spool_classify("a.pcap.gz"), FP_SPOOL_COMPRESSED);
	CHECK_EQ_INT(fp_spool_classify("a.pcapng.zst"), FP_SPOOL_COMPRESSED);
	CHECK_EQ_INT(fp_spool_classify("a.gz"), FP_SPOOL_IGNORE);
}

static void test_watch_and_leave(void)
{
	struct fp_error err = { "" };
	struct fp_spool *s;
	char names[512], path[256], from[256];
	FILE *f;

	put_file("before.pcap", "x");		/* there at start-up */
	put_file(".hidden.pcap", "x");
	s = fp_spool_open(dir, &err);
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	CHECK(exists("done") && exists("failed"));
	put_file("closed.pcapng", "x");		/* IN_CLOSE_WRITE */
	put_file("notes.txt", "x");
	put_file("zipped.pcap.gz", "x");
	snprintf(from, sizeof(from), "%s/.incoming.tmp", dir);
	snprintf(path, sizeof(path), "%s/renamed.cap", dir);
	f = fopen(from, "w");
	fputs("x", f);
	fclose(f);
	CHECK(rename(from, path) == 0);		/* IN_MOVED_TO */
	drain(s, names, sizeof(names));
	CHECK_EQ_STR(names, "before.pcap closed.pcapng zipped.pcap.gz renamed.cap");
	/* written again while being worked on: not handed out twice */
	put_file("closed.pcapng", "xy");
	drain(s, names, sizeof(names));
	CHECK_EQ_STR(names, "");
	/* a hidden file renamed to a capture name becomes ready */
	snprintf(from, sizeof(from), "%s/.hidden.pcap", dir);
	snprintf(path, sizeof(path), "%s/late.pcap", dir);
	CHECK(rename(from, path) == 0);
	drain(s, names, sizeof(names));
	CHECK_EQ_STR(names, "late.pcap");

	CHECK(fp_spool_retire(s, "before.pcap", FP_SPOOL_MOVE, &err) == 0);
	CHECK(exists("done/before.pcap") && !exists("before.pcap"));
	CHECK(fp_spool_retire(s, "renamed.cap", FP_SPOOL_DELETE, &err) == 0);
	CHECK(!exists("renamed.cap") && !exists("done/renamed.cap"));
	CHECK(fp_spool_fail(s, "zipped.pcap.gz", "compressed capture: decompress it first", &err) == 0);
	CHECK(exists("failed/zipped.pcap.gz") && exists("failed/zipped.pcap.gz.reason"));
	snprintf(path, sizeof(path), "%s/failed/zipped.pcap.gz.reason", dir);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f != NULL) {
		char line[128] = "";
		CHECK(fgets(line, sizeof(line), f) != NULL);
		CHECK_EQ_STR(line, "compressed capture: decompress it first\n");
		fclose(f);
	}
	/* a forgotten name is found again by the next start's scan */
	fp_spool_forget(s, "late.pcap");
	fp_spool_close(s);
	s = fp_spool_open(dir, &err);
	drain(s, names, sizeof(names));
	CHECK_EQ_STR(names, "closed.pcapng late.pcap");
	fp_spool_close(s);
	/* a spool that does not exist */
	CHECK(fp_spool_open("/nonexistent-spool-of-flowprep", &err) == NULL);
	CHECK(strstr(err.msg, "/nonexistent-spool-of-flowprep") != NULL);
}

int main(void)
{
	char cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	RUN(test_classify);
	RUN(test_watch_and_leave);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return TEST_RESULT();
}
