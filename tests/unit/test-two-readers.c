/*
 * test-two-readers.c - our capture reader against libpcap's, on every
 * capture of the shared corpus ($SHARED_DIR/corpus and corpus/bad).
 *
 * What "the same" means:
 *  - both open the file, with the same (first) link type, or both refuse
 *    it with the same message;
 *  - then, packet by packet: the same time (ns), captured and wire length,
 *    link type and captured bytes;
 *  - both end at the same packet: cleanly, or with the same message
 *    ("FILE: packet N: reason") — except where libpcap refuses what pcapng
 *    allows: an interface whose link type or snapshot length differs from
 *    the first one's. There ours must go on past libpcap's packet N (it
 *    delivered the same N-1 packets first) and read the file to its end
 *    or to an error of its own; the file is reported as "libpcap refuses".
 * The corpus's files are small (<= 3 MB), so the whole run takes well
 * under a second. Without the shared folder the test is skipped (77).
 */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/capture-reader.h"
#include "source/pcap-file.h"
#include "test.h"

static int files_same, files_refused_same, files_libpcap_limits;

static bool libpcap_limit(const char *msg)
{
	return strstr(msg, "an interface has a type") != NULL ||
	       strstr(msg, "an interface has a snapshot length") != NULL;
}

static bool same_packet(const struct fp_raw_packet *a, const struct fp_raw_packet *b)
{
	return a->ts_ns == b->ts_ns && a->caplen == b->caplen && a->wirelen == b->wirelen &&
	       a->linktype == b->linktype && memcmp(a->data, b->data, a->caplen) == 0;
}

/* Ours after libpcap stopped at a limit of its own: reads on. */
static void read_on(struct fp_capture_reader *ours, const char *path, uint64_t libpcap_n)
{
	struct fp_raw_packet p;
	struct fp_error err = { { 0 } };
	int rc;

	while ((rc = fp_capture_reader_next(ours, &p, &err)) == 1)
		;
	CHECK(fp_capture_reader_packet_number(ours) > libpcap_n);
	fprintf(stderr, "  %s: libpcap refuses at packet %llu; ours read %llu packets%s%s\n", path,
		(unsigned long long)libpcap_n + 1, (unsigned long long)fp_capture_reader_packet_number(ours),
		rc < 0 ? ", then: " : "", rc < 0 ? err.msg : "");
	files_libpcap_limits++;
}

static void compare_packets(const char *path, struct fp_pcap_file *lib, struct fp_capture_reader *ours)
{
	struct fp_raw_packet a, b;
	struct fp_error ea = { { 0 } }, eb = { { 0 } };
	int ra, rb, before = test_failures;

	for (;;) {
		ra = fp_pcap_file_next(lib, &a, &ea);
		if (ra < 0 && libpcap_limit(ea.msg)) {
			rb = fp_capture_reader_next(ours, &b, &eb);
			CHECK_EQ_INT(rb, 1);
			read_on(ours, path, fp_pcap_file_packet_number(lib));
			return;
		}
		rb = fp_capture_reader_next(ours, &b, &eb);
		CHECK_EQ_INT(ra, rb);
		if (ra != rb || ra != 1)
			break;
		if (!same_packet(&a, &b)) {
			CHECK(same_packet(&a, &b));
			fprintf(stderr, "  %s: packet %llu differs: ts %lld/%lld caplen %u/%u wirelen %u/%u lt %d/%d\n",
				path, (unsigned long long)fp_pcap_file_packet_number(lib), (long long)a.ts_ns,
				(long long)b.ts_ns, a.caplen, b.caplen, a.wirelen, b.wirelen, a.linktype, b.linktype);
			return;
		}
	}
	if (ra < 0 && rb < 0)
		CHECK_EQ_STR(eb.msg, ea.msg);
	CHECK_EQ_INT(fp_capture_reader_packet_number(ours), fp_pcap_file_packet_number(lib));
	if (test_failures != before)
		fprintf(stderr, "  %s: libpcap %d \"%s\", ours %d \"%s\"\n", path, ra, ea.msg, rb, eb.msg);
	else
		files_same++;
}

static void compare_file(const char *path)
{
	struct fp_error ea = { { 0 } }, eb = { { 0 } };
	struct fp_pcap_file *lib = fp_pcap_file_open(path, &ea);
	struct fp_capture_reader *ours = fp_capture_reader_open(path, &eb);

	CHECK((lib == NULL) == (ours == NULL));
	if (lib == NULL || ours == NULL) {
		CHECK_EQ_STR(eb.msg, ea.msg);
		if (lib == NULL && ours == NULL && strcmp(ea.msg, eb.msg) == 0)
			files_refused_same++;
		else
			fprintf(stderr, "  %s: open: libpcap \"%s\", ours \"%s\"\n", path, ea.msg, eb.msg);
	} else {
		CHECK_EQ_INT(fp_capture_reader_linktype(ours), fp_pcap_file_linktype(lib));
		compare_packets(path, lib, ours);
		CHECK_EQ_INT(fp_capture_reader_size(ours), fp_pcap_file_size(lib));
	}
	fp_pcap_file_close(lib);
	fp_capture_reader_close(ours);
}

static int compare_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), files = 0;

	if (n < 0)
		return 0;	/* no corpus here: names is not set */
	for (int i = 0; i < n; i++) {
		char path[4096];
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);

		if (nm[0] != '.' && strcmp(nm, "bad") != 0 && !(len > 3 && strcmp(nm + len - 3, ".md") == 0) &&
		    !(len > 4 && strcmp(nm + len - 4, ".tsv") == 0)) {
			snprintf(path, sizeof(path), "%s/%s", dir, nm);
			compare_file(path);
			files++;
		}
		free(names[i]);
	}
	free(names);
	return files;
}

int main(void)
{
	const char *shared = getenv("SHARED_DIR");
	char dir[4096];
	int files;

	if (shared == NULL)
		shared = "../shared";
	snprintf(dir, sizeof(dir), "%s/corpus", shared);
	files = compare_dir(dir);
	if (files == 0) {
		fprintf(stderr, "SKIP: no captures in %s (set SHARED_DIR)\n", dir);
		return 77;
	}
	snprintf(dir, sizeof(dir), "%s/corpus/bad", shared);
	files += compare_dir(dir);
	fprintf(stderr, "%d files: %d read the same, %d refused the same, %d past a libpcap limit\n", files,
		files_same, files_refused_same, files_libpcap_limits);
	return TEST_RESULT();
}
