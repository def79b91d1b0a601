/*
 * utf8.h - where valid UTF-8 ends: shared by the CSV reader (which refuses
 * or repairs bad text) and the JSON writer (which repairs it, as JSON
 * text must be UTF-8).
 */
#ifndef FP_LIB_UTF8_H
#define FP_LIB_UTF8_H

#include <stddef.h>

/* The replacement character U+FFFD, which stands in for a bad byte. */
#define FP_UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Length of the valid UTF-8 prefix of s[0, n). */
size_t fp_utf8_valid_prefix(const unsigned char *s, size_t n);

#endif
