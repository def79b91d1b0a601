/*
 * hash.h - the one integer mixer every hash table in flowprep uses.
 * (murmur3's 64-bit finalizer: cheap, and every input bit reaches every
 * output bit, so a power-of-two table can take the low bits.)
 */
#ifndef FP_LIB_HASH_H
#define FP_LIB_HASH_H

#include <stdint.h>

static inline uint64_t fp_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif
