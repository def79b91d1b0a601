/*
 * merge-source.c - the k-way merge of sources by timestamp (see
 * merge-source.h). The heap holds the inputs that have a packet waiting,
 * ordered by (time, input index); `pending` is the input whose packet was
 * handed out last and must be refilled before the next pick.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/merge-source.h"

struct merge_input {
	struct fp_source *src;
	struct fp_raw_packet head;	/* its next packet, when in the heap */
};

struct merge_source {
	struct fp_source base;	/* first: a struct fp_source * is a struct merge_source * */
	struct merge_input *in;
	size_t n;
	size_t *heap;		/* input indices */
	size_t heap_len;
	size_t pending;		/* SIZE_MAX: none */
	merge_error_fn on_error;
	void *ctx;
};

static bool earlier(const struct merge_source *ms, size_t a, size_t b)
{
	int64_t ta = ms->in[a].head.ts_ns, tb = ms->in[b].head.ts_ns;

	return ta < tb || (ta == tb && a < b);
}

static void swap(size_t *h, size_t i, size_t j)
{
	size_t t = h[i];

	h[i] = h[j];
	h[j] = t;
}

static void sift_up(struct merge_source *ms, size_t i)
{
	while (i > 0 && earlier(ms, ms->heap[i], ms->heap[(i - 1) / 2])) {
		swap(ms->heap, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct merge_source *ms, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < ms->heap_len && earlier(ms, ms->heap[l], ms->heap[m]))
			m = l;
		if (r < ms->heap_len && earlier(ms, ms->heap[r], ms->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(ms->heap, i, m);
		i = m;
	}
}

/* Reads input i's next packet into the heap (or drops the input at its
 * end or at an error, which is reported). */
static void refill(struct merge_source *ms, size_t i)
{
	struct fp_error err = { "" };
	int rc = fp_source_next(ms->in[i].src, &ms->in[i].head, &err);

	if (rc == 1) {
		ms->heap[ms->heap_len++] = i;
		sift_up(ms, ms->heap_len - 1);
	} else if (rc < 0 && ms->on_error) {
		ms->on_error(ms->ctx, i, &err);
	}
}

static int merge_next(struct fp_source *s, struct fp_raw_packet *pkt, struct fp_error *err)
{
	struct merge_source *ms = (struct merge_source *)s;
	size_t i;

	if (ms->pending != SIZE_MAX) {
		refill(ms, ms->pending);
		ms->pending = SIZE_MAX;
	}
	if (ms->heap_len == 0) {
		s->ended = true;
		return 0;
	}
	i = ms->heap[0];
	ms->heap[0] = ms->heap[--ms->heap_len];
	sift_down(ms, 0);
	*pkt = ms->in[i].head;
	ms->pending = i;
	s->packets++;
	return 1;
}

static uint64_t merge_position(const struct fp_source *s)
{
	const struct merge_source *ms = (const struct merge_source *)s;
	uint64_t pos = 0;

	for (size_t i = 0; i < ms->n; i++)
		if (ms->in[i].src)
			pos += fp_source_position(ms->in[i].src);
	return pos;
}

static void merge_close(struct fp_source *s)
{
	struct merge_source *ms = (struct merge_source *)s;

	for (size_t i = 0; i < ms->n; i++)
		fp_source_close(ms->in[i].src);
	free(ms->in);
	free(ms->heap);
	free(ms);
}

static const struct fp_source_ops merge_ops = { merge_next, merge_position, merge_close };

struct fp_source *merge_source_new(struct fp_source **sources, size_t n, merge_error_fn on_error, void *ctx,
				   struct fp_error *err)
{
	struct merge_source *ms = calloc(1, sizeof(*ms));
	bool first = true;

	if (ms == NULL || (ms->in = calloc(n, sizeof(*ms->in))) == NULL ||
	    (ms->heap = calloc(n, sizeof(*ms->heap))) == NULL) {
		if (ms)
			free(ms->in);
		free(ms);
		for (size_t i = 0; i < n; i++)
			fp_source_close(sources[i]);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	ms->n = n;
	ms->on_error = on_error;
	ms->ctx = ctx;
	ms->pending = SIZE_MAX;
	ms->base.ops = &merge_ops;
	ms->base.name = "(merged inputs)";
	ms->base.fd = -1;
	ms->base.linktype = -1;
	for (size_t i = 0; i < n; i++) {
		ms->in[i].src = sources[i];
		if (sources[i] == NULL)
			continue;
		if (first)
			ms->base.linktype = sources[i]->linktype;
		first = false;
		ms->base.size += sources[i]->size;
		refill(ms, i);
	}
	return &ms->base;
}
