/*
 * random-seed.h - 64 unpredictable bits for seeding hash tables.
 *
 * A table keyed by what arrives on a network link is seeded so that
 * nobody outside can choose keys that pile up in one place. This is not
 * key material: it has to be unknown to a sender, not cryptographically
 * strong, so it never fails and never blocks.
 */
#ifndef FP_LIB_RANDOM_SEED_H
#define FP_LIB_RANDOM_SEED_H

#include <stdint.h>

/* From the kernel's random source (getrandom, else /dev/urandom); where
 * neither answers (early boot, a sandbox), from the clocks, the process ID
 * and an address, which a remote sender cannot see either. */
uint64_t fp_random_seed(void);

#endif
