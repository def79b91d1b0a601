/*
 * resolve.c - names to keys, keys to fields (resolve.h).
 *
 * Matching is a scan over the spec's keys (a few hundred) per input column,
 * done once per input file: cheaper than building anything cleverer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "canon/resolve.h"

char *fp_canon_key(const char *name)
{
	size_t n = strlen(name), o = 0;
	char *key = malloc(n + 1);

	if (key == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 'A' && c <= 'Z')
			key[o++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			key[o++] = (char)c;
	}
	key[o] = '\0';
	return key;
}

void fp_canon_match_key(const struct fp_canon_spec *spec, const char *key, struct fp_canon_match *m)
{
	m->target = -1;
	m->alias = 0;
	m->label = -1;
	if (*key == '\0')
		return;
	for (size_t t = 0; t < spec->ntargets; t++) {
		const struct fp_canon_target *tg = &spec->targets[t];
		for (size_t a = 0; a < tg->field->naliases; a++) {
			if (strcmp(tg->keys[a], key) == 0) {
				m->target = (int)t;
				m->alias = a;
				return;
			}
		}
	}
	for (size_t l = 0; l < spec->nlabels; l++) {
		if (strcmp(spec->label_keys[l], key) == 0) {
			m->label = (int)l;
			return;
		}
	}
}
