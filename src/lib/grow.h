/*
 * grow.h - growing an array by doubling, with the size arithmetic checked.
 *
 * fp_grow(&array, &capacity, need, sizeof(*array), first) makes room for
 * `need` elements: it keeps the array if it is big enough, else reallocates
 * it to the next power-of-two multiple of `first` at or above `need`.
 * Returns -1 (array untouched) if memory runs out or the size overflows.
 */
#ifndef FP_LIB_GROW_H
#define FP_LIB_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static inline int fp_grow(void *arrayp, size_t *cap, size_t need, size_t elem, size_t first)
{
	void **array = arrayp;
	size_t n = *cap ? *cap : (first ? first : 1);
	size_t bytes;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (__builtin_mul_overflow(n, elem, &bytes))
		return -1;
	p = realloc(*array, bytes);
	if (p == NULL)
		return -1;
	*array = p;
	*cap = n;
	return 0;
}

#endif
