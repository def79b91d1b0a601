/*
 * sink.c - what every sink shares: the sticky error and the calls that
 * check it before and record it after each op (see sink.h).
 */
#include "config.h"

#include "sink/sink.h"

int fp_sink_fail(struct fp_sink *s, const struct fp_error *why)
{
	if (!s->failed) {
		s->failed = true;
		s->error = *why;
	}
	return -1;
}

int fp_sink_error(struct fp_sink *s, struct fp_error *err)
{
	if (!s->failed && s->ops->poll != NULL)
		s->ops->poll(s);
	if (!s->failed)
		return 0;
	if (err != NULL)
		*err = s->error;
	return -1;
}

/* An op's result: a failure becomes the sink's sticky error. */
static int settle(struct fp_sink *s, int rc, struct fp_error *err)
{
	if (rc < 0)
		fp_sink_fail(s, err);
	return rc;
}

int fp_sink_write_rows(struct fp_sink *s, const struct fp_batch *b, size_t first_row, size_t nrows,
		       struct fp_error *err)
{
	if (fp_sink_error(s, err) < 0)
		return -1;
	if (first_row > b->nrows || nrows > b->nrows - first_row)
		return settle(s, fp_error_set(err, "rows %zu..%zu of a batch of %zu", first_row, first_row + nrows,
					      b->nrows), err);
	if (nrows == 0)
		return 0;
	if (settle(s, s->ops->write(s, b, first_row, nrows, err), err) < 0)
		return -1;
	s->rows_written += nrows;
	return 0;
}

int fp_sink_write(struct fp_sink *s, const struct fp_batch *b, struct fp_error *err)
{
	return fp_sink_write_rows(s, b, 0, b->nrows, err);
}

int fp_sink_tick(struct fp_sink *s, int64_t now_ns, struct fp_error *err)
{
	if (fp_sink_error(s, err) < 0)
		return -1;
	return s->ops->tick ? settle(s, s->ops->tick(s, now_ns, err), err) : 0;
}

int fp_sink_flush(struct fp_sink *s, struct fp_error *err)
{
	if (fp_sink_error(s, err) < 0)
		return -1;
	return s->ops->flush ? settle(s, s->ops->flush(s, err), err) : 0;
}

int fp_sink_close(struct fp_sink *s, struct fp_error *err)
{
	if (fp_sink_error(s, err) < 0) {
		s->ops->abort(s);	/* a failed sink publishes nothing */
		return -1;
	}
	return s->ops->close(s, err);
}

void fp_sink_abort(struct fp_sink *s)
{
	if (s != NULL)
		s->ops->abort(s);
}
