/*
 * capture-time.h - a packet's (seconds, fraction) from a capture file as
 * int64 nanoseconds since the epoch, as both file readers give it.
 *
 * Times are int64 nanoseconds downstream, which hold the years 1678 to
 * 2262. pcapng times are 64-bit, and a corrupt or byte-swapped file can
 * say year 150000; capping such times would give every packet the same
 * instant, erase the idle gaps and print a fake date. So when the file's
 * first packet is out of that range, the whole file's times are taken
 * relative to it (its whole seconds are subtracted from every time: the
 * first packet is at 1970-01-01 00:00:00 and order and gaps are kept, as
 * far as the file's own values go). A packet still out of range after that
 * (a lone wild time) is capped to the nearest end. Either is warned about
 * once per file, naming the file and the packet number; the state lives in
 * the reader, none is shared between files.
 */
#ifndef FP_SOURCE_CAPTURE_TIME_H
#define FP_SOURCE_CAPTURE_TIME_H

#include <stdbool.h>
#include <stdint.h>

struct fp_capture_time {
	int64_t base_sec;	/* subtracted from every time; 0 normally */
	bool warned_rebased;
	bool warned_capped;
};

/* The time of packet number `packet` (1 = the first) of file `path`:
 * `sec` seconds and `frac` nanoseconds (frac may be out of [0, 1e9) in
 * damaged files; it is added as it is). */
int64_t fp_capture_time_ns(struct fp_capture_time *t, const char *path, uint64_t packet, int64_t sec,
			   int64_t frac);

/* The same, with the common case inline: not rebased, and seconds well
 * inside the range (|frac| < 2^42 from any reader, so nothing overflows). */
static inline int64_t fp_capture_time(struct fp_capture_time *t, const char *path, uint64_t packet, int64_t sec,
				      int64_t frac)
{
	if (__builtin_expect(t->base_sec == 0 && sec > -9000000000LL && sec < 9000000000LL &&
			     frac > -(INT64_C(1) << 42) && frac < (INT64_C(1) << 42), 1))
		return sec * 1000000000LL + frac;
	return fp_capture_time_ns(t, path, packet, sec, frac);
}

#endif
