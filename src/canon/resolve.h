/*
 * resolve.h - alias resolution: which input column feeds which canonical
 * field.
 *
 * Names are compared as keys: ASCII letters lower-cased, every byte that
 * is not a letter or digit dropped (bytes past ASCII kept), so " Source IP",
 * "source_ip", "SourceIP" and "SOURCE-IP" are one name, and Zeek's
 * "id.orig_h" is "idorigh". A canonical field's own name counts only when
 * the schema lists it among the field's aliases (ours does). A column whose
 * key is no alias and no label is "extra".
 */
#ifndef FP_CANON_RESOLVE_H
#define FP_CANON_RESOLVE_H

#include <stddef.h>

#include "canon/spec.h"

/* The key of `name`, newly allocated (NULL: out of memory). */
char *fp_canon_key(const char *name);

/* What a column's key is to the spec. */
struct fp_canon_match {
	int target;		/* index into spec->targets, or -1 */
	size_t alias;		/* which alias of that target (its priority) */
	int label;		/* index into spec->label_keys, or -1 */
};

void fp_canon_match_key(const struct fp_canon_spec *spec, const char *key, struct fp_canon_match *m);

#endif
