/*
 * flow-list.h - intrusive doubly linked lists of table entries.
 *
 * A flow is on two lists at once: by recency (lru_prev/lru_next; either the
 * "recent" list or, once a TCP flow has closed, the "closing" list) and by
 * creation (age_prev/age_next). Links are entry indexes, FP_FLOW_NONE at
 * the ends, so the lists cost 16 bytes per flow and survive nothing moving.
 */
#ifndef FP_FLOW_FLOW_LIST_H
#define FP_FLOW_FLOW_LIST_H

#include <stdint.h>

#include "flow/flow-table.h"

struct fp_flow_list {
	uint32_t head;			/* oldest, ended first */
	uint32_t tail;			/* newest */
};

enum fp_flow_link { FP_LINK_LRU, FP_LINK_AGE };

static inline void fp_flow_list_init(struct fp_flow_list *l)
{
	l->head = l->tail = FP_FLOW_NONE;
}

static inline uint32_t *fp_flow_link_prev(struct fp_flow *f, enum fp_flow_link which)
{
	return which == FP_LINK_AGE ? &f->age_prev : &f->lru_prev;
}

static inline uint32_t *fp_flow_link_next(struct fp_flow *f, enum fp_flow_link which)
{
	return which == FP_LINK_AGE ? &f->age_next : &f->lru_next;
}

static inline void fp_flow_list_append(const struct fp_flow_table *t, struct fp_flow_list *l, uint32_t idx,
				       enum fp_flow_link which)
{
	struct fp_flow *f = fp_flow_table_get(t, idx);

	*fp_flow_link_prev(f, which) = l->tail;
	*fp_flow_link_next(f, which) = FP_FLOW_NONE;
	if (l->tail == FP_FLOW_NONE)
		l->head = idx;
	else
		*fp_flow_link_next(fp_flow_table_get(t, l->tail), which) = idx;
	l->tail = idx;
}

static inline void fp_flow_list_unlink(const struct fp_flow_table *t, struct fp_flow_list *l, uint32_t idx,
				       enum fp_flow_link which)
{
	struct fp_flow *f = fp_flow_table_get(t, idx);
	uint32_t prev = *fp_flow_link_prev(f, which), next = *fp_flow_link_next(f, which);

	if (prev == FP_FLOW_NONE)
		l->head = next;
	else
		*fp_flow_link_next(fp_flow_table_get(t, prev), which) = next;
	if (next == FP_FLOW_NONE)
		l->tail = prev;
	else
		*fp_flow_link_prev(fp_flow_table_get(t, next), which) = prev;
}

static inline void fp_flow_list_move_tail(const struct fp_flow_table *t, struct fp_flow_list *l, uint32_t idx,
					  enum fp_flow_link which)
{
	if (l->tail == idx)
		return;
	fp_flow_list_unlink(t, l, idx, which);
	fp_flow_list_append(t, l, idx, which);
}

#endif
