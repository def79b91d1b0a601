/*
 * capture-time.c - out-of-range capture times (see capture-time.h): the
 * file is rebased on its first packet, or a lone wild time is capped, and
 * either is said once per file.
 */
#include "config.h"

#include <inttypes.h>

#include "lib/log.h"
#include "source/capture-time.h"

#define NS_PER_SEC INT64_C(1000000000)
#define SEC_PER_YEAR INT64_C(31556952)		/* 365.2425 days */

/* sec.frac as ns into *ns; false if that does not fit in int64. */
static bool to_ns(int64_t sec, int64_t frac, int64_t *ns)
{
	return !__builtin_mul_overflow(sec, NS_PER_SEC, ns) && !__builtin_add_overflow(*ns, frac, ns);
}

int64_t fp_capture_time_ns(struct fp_capture_time *t, const char *path, uint64_t packet, int64_t sec, int64_t frac)
{
	int64_t file_sec = sec, ns;

	if (packet == 1 && !to_ns(sec, frac, &ns)) {
		t->base_sec = sec;
		t->warned_rebased = true;
		fp_log_warn("%s: packet 1: time %" PRId64 " s since 1970 (about year %" PRId64 ") is beyond the "
			    "years 1678-2262 that flowprep's nanosecond times hold (a corrupt or byte-swapped "
			    "capture?); this file's times are written relative to its first packet, from "
			    "1970-01-01 00:00:00, keeping their order and gaps",
			    path, sec, (int64_t)(1970 + sec / SEC_PER_YEAR));
	}
	if (!__builtin_sub_overflow(sec, t->base_sec, &sec) && to_ns(sec, frac, &ns))
		return ns;
	if (!t->warned_capped) {
		t->warned_capped = true;
		fp_log_warn("%s: packet %" PRIu64 ": time %" PRId64 " s since 1970%s is beyond the years 1678-2262 "
			    "that flowprep's nanosecond times hold; such packets are given the nearest time it "
			    "can hold: check the capture", path, packet, file_sec,
			    t->warned_rebased ? " (before making times relative)" : "");
	}
	return sec < 0 ? INT64_MIN : INT64_MAX;
}
