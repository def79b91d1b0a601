/*
 * test.h - the unit tests' few assertion macros.
 *
 * A test program calls its test functions through RUN(), each CHECK that
 * fails prints file:line and the expression and marks the program failed;
 * main returns TEST_RESULT() (0, or 1 if anything failed, or 77 = skip as
 * automake's test driver understands it).
 */
#ifndef FP_TESTS_TEST_H
#define FP_TESTS_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		test_checks++;                                                       \
		if (!(cond)) {                                                       \
			test_failures++;                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                    \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                           \
	do {                                                                         \
		long long va_ = (long long)(a), vb_ = (long long)(b);                \
		test_checks++;                                                       \
		if (va_ != vb_) {                                                    \
			test_failures++;                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n", \
				__FILE__, __LINE__, #a, #b, va_, vb_);               \
		}                                                                    \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                           \
	do {                                                                         \
		const char *sa_ = (a), *sb_ = (b);                                   \
		test_checks++;                                                       \
		if (sa_ == NULL || sb_ == NULL || strcmp(sa_, sb_) != 0) {           \
			test_failures++;                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s == %s (\"%s\" != \"%s\")\n", \
				__FILE__, __LINE__, #a, #b, sa_ ? sa_ : "(null)",    \
				sb_ ? sb_ : "(null)");                               \
		}                                                                    \
	} while (0)

/* xorshift64: the tests' fixed-seed random numbers (`state` != 0), the
 * same sequence on every machine. */
static inline uint64_t test_xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#define RUN(fn)                                                                      \
	do {                                                                         \
		int before_ = test_failures;                                         \
		fn();                                                                \
		fprintf(stderr, "%s %s\n", test_failures == before_ ? "ok  " : "FAIL", #fn); \
	} while (0)

#define TEST_RESULT()                                                                \
	(fprintf(stderr, "%d checks, %d failed\n", test_checks, test_failures),     \
	 test_failures ? 1 : 0)

#endif
