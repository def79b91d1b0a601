/*
 * cic-columns.c - writing a flow's CICFlowMeter-style values into a batch
 * row, in the column order and types of the set's field table (see
 * cic-columns.h). The sets compute values by column ID; only this file
 * knows how a value becomes a cell.
 */
#include "config.h"

#include "flow/features/cic-columns.h"

static int64_t in_time_unit(int64_t ns, enum fp_time_unit unit)
{
	int64_t per = unit == FP_UNIT_MILLIS ? 1000000 : unit == FP_UNIT_MICROS ? 1000 : 1;
	int64_t q = ns / per;

	return (ns % per != 0 && ns < 0) ? q - 1 : q;	/* floor, for times before 1970 */
}

/* What a duration in ns is divided by in a column of this unit. */
static double ns_per_unit(const char *unit)
{
	if (unit == NULL)
		return 1.0;
	if (unit[0] == 's' && unit[1] == '\0')
		return 1e9;
	if (unit[0] == 'u' && unit[1] == 's' && unit[2] == '\0')
		return 1e3;
	return 1.0;
}

int fp_cic_put(const struct fp_feature_row *row, const struct fp_cic_row *r, const uint8_t *ids)
{
	struct fp_batch *b = row->batch;

	for (size_t i = 0; i < row->nfields; i++) {
		size_t col = row->first + i, id = ids ? ids[i] : i;
		const struct fp_field *f = &row->fields[i];
		double v = r->v[id];

		if (r->null[id]) {
			fp_batch_put_null(b, col);
			continue;
		}
		switch (f->type) {
		case FP_TYPE_STRING:
			if (fp_feature_put_address(b, col, id == FP_CIC_SRC_IP ? r->src_addr : r->dst_addr, r->ip_version) < 0)
				return -1;
			break;
		case FP_TYPE_INT32: fp_batch_put_i32(b, col, (int32_t)v); break;
		case FP_TYPE_INT64: fp_batch_put_i64(b, col, (int64_t)v); break;
		case FP_TYPE_TIMESTAMP: fp_batch_put_i64(b, col, in_time_unit(r->first_ns, f->time_unit)); break;
		default: fp_batch_put_f64(b, col, r->times_ns ? v / ns_per_unit(f->unit) : v); break;
		}
	}
	return 0;
}
