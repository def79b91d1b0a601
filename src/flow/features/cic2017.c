/*
 * cic2017.c - the `cic2017` set: cic's corrected values under the column
 * names, order and units of the CIC-IDS-2017 "MachineLearningCVE" CSVs
 * (the 78 feature columns, leading spaces included; no Label), so a model
 * trained on that dataset can score our flows.
 *
 * Units as the dataset's: durations, IATs and active/idle periods in µs
 * (cic: seconds), rates per second. Its quirks: the header has
 * " Fwd Header Length" twice; the second is named " Fwd Header Length.1",
 * as pandas (how those models were trained) reads it, and holds the same
 * value. " CWE Flag Count" is CICFlowMeter's misspelt CWR count. Like
 * CICFlowMeter (whose flow timeout made the dataset), flows end after
 * 120 s (active timeout).
 *
 * The measurements are cic's (cic.h): same state, same hooks; only the
 * naming and the units are this file's.
 */
#include "config.h"

#include "flow/flow-engine.h"
#include "flow/features/cic.h"

/* X(name, cic value, type, unit, nullable): the unit of a time (us) divides
 * cic's ns once (cic-columns.c). */
#define CIC2017_COLUMNS(X) \
	X(" Destination Port", DST_PORT, INT32, NULL, false) \
	X(" Flow Duration", FLOW_DURATION, DOUBLE, "us", false) \
	X(" Total Fwd Packets", TOT_FWD_PKTS, INT64, "packets", false) \
	X(" Total Backward Packets", TOT_BWD_PKTS, INT64, "packets", false) \
	X("Total Length of Fwd Packets", TOTLEN_FWD_PKTS, INT64, "bytes", false) \
	X(" Total Length of Bwd Packets", TOTLEN_BWD_PKTS, INT64, "bytes", false) \
	X(" Fwd Packet Length Max", FWD_PKT_LEN_MAX, INT64, "bytes", false) \
	X(" Fwd Packet Length Min", FWD_PKT_LEN_MIN, INT64, "bytes", false) \
	X(" Fwd Packet Length Mean", FWD_PKT_LEN_MEAN, DOUBLE, "bytes", false) \
	X(" Fwd Packet Length Std", FWD_PKT_LEN_STD, DOUBLE, "bytes", false) \
	X("Bwd Packet Length Max", BWD_PKT_LEN_MAX, INT64, "bytes", false) \
	X(" Bwd Packet Length Min", BWD_PKT_LEN_MIN, INT64, "bytes", false) \
	X(" Bwd Packet Length Mean", BWD_PKT_LEN_MEAN, DOUBLE, "bytes", false) \
	X(" Bwd Packet Length Std", BWD_PKT_LEN_STD, DOUBLE, "bytes", false) \
	X("Flow Bytes/s", FLOW_BYTS_S, DOUBLE, "bytes/s", true) \
	X(" Flow Packets/s", FLOW_PKTS_S, DOUBLE, "packets/s", true) \
	X(" Flow IAT Mean", FLOW_IAT_MEAN, DOUBLE, "us", false) \
	X(" Flow IAT Std", FLOW_IAT_STD, DOUBLE, "us", false) \
	X(" Flow IAT Max", FLOW_IAT_MAX, DOUBLE, "us", false) \
	X(" Flow IAT Min", FLOW_IAT_MIN, DOUBLE, "us", false) \
	X("Fwd IAT Total", FWD_IAT_TOT, DOUBLE, "us", false) \
	X(" Fwd IAT Mean", FWD_IAT_MEAN, DOUBLE, "us", false) \
	X(" Fwd IAT Std", FWD_IAT_STD, DOUBLE, "us", false) \
	X(" Fwd IAT Max", FWD_IAT_MAX, DOUBLE, "us", false) \
	X(" Fwd IAT Min", FWD_IAT_MIN, DOUBLE, "us", false) \
	X("Bwd IAT Total", BWD_IAT_TOT, DOUBLE, "us", false) \
	X(" Bwd IAT Mean", BWD_IAT_MEAN, DOUBLE, "us", false) \
	X(" Bwd IAT Std", BWD_IAT_STD, DOUBLE, "us", false) \
	X(" Bwd IAT Max", BWD_IAT_MAX, DOUBLE, "us", false) \
	X(" Bwd IAT Min", BWD_IAT_MIN, DOUBLE, "us", false) \
	X("Fwd PSH Flags", FWD_PSH_FLAGS, INT64, "packets", false) \
	X(" Bwd PSH Flags", BWD_PSH_FLAGS, INT64, "packets", false) \
	X(" Fwd URG Flags", FWD_URG_FLAGS, INT64, "packets", false) \
	X(" Bwd URG Flags", BWD_URG_FLAGS, INT64, "packets", false) \
	X(" Fwd Header Length", FWD_HEADER_LEN, INT64, "bytes", false) \
	X(" Bwd Header Length", BWD_HEADER_LEN, INT64, "bytes", false) \
	X("Fwd Packets/s", FWD_PKTS_S, DOUBLE, "packets/s", true) \
	X(" Bwd Packets/s", BWD_PKTS_S, DOUBLE, "packets/s", true) \
	X(" Min Packet Length", PKT_LEN_MIN, INT64, "bytes", false) \
	X(" Max Packet Length", PKT_LEN_MAX, INT64, "bytes", false) \
	X(" Packet Length Mean", PKT_LEN_MEAN, DOUBLE, "bytes", false) \
	X(" Packet Length Std", PKT_LEN_STD, DOUBLE, "bytes", false) \
	X(" Packet Length Variance", PKT_LEN_VAR, DOUBLE, "bytes^2", false) \
	X("FIN Flag Count", FIN_FLAG_CNT, INT64, "packets", false) \
	X(" SYN Flag Count", SYN_FLAG_CNT, INT64, "packets", false) \
	X(" RST Flag Count", RST_FLAG_CNT, INT64, "packets", false) \
	X(" PSH Flag Count", PSH_FLAG_CNT, INT64, "packets", false) \
	X(" ACK Flag Count", ACK_FLAG_CNT, INT64, "packets", false) \
	X(" URG Flag Count", URG_FLAG_CNT, INT64, "packets", false) \
	X(" CWE Flag Count", CWR_FLAG_COUNT, INT64, "packets", false) \
	X(" ECE Flag Count", ECE_FLAG_CNT, INT64, "packets", false) \
	X(" Down/Up Ratio", DOWN_UP_RATIO, DOUBLE, NULL, false) \
	X(" Average Packet Size", PKT_SIZE_AVG, DOUBLE, "bytes", false) \
	X(" Avg Fwd Segment Size", FWD_SEG_SIZE_AVG, DOUBLE, "bytes", false) \
	X(" Avg Bwd Segment Size", BWD_SEG_SIZE_AVG, DOUBLE, "bytes", false) \
	X(" Fwd Header Length.1", FWD_HEADER_LEN, INT64, "bytes", false) \
	X("Fwd Avg Bytes/Bulk", FWD_BYTS_B_AVG, DOUBLE, "bytes", false) \
	X(" Fwd Avg Packets/Bulk", FWD_PKTS_B_AVG, DOUBLE, "packets", false) \
	X(" Fwd Avg Bulk Rate", FWD_BLK_RATE_AVG, DOUBLE, "bytes/s", false) \
	X(" Bwd Avg Bytes/Bulk", BWD_BYTS_B_AVG, DOUBLE, "bytes", false) \
	X(" Bwd Avg Packets/Bulk", BWD_PKTS_B_AVG, DOUBLE, "packets", false) \
	X("Bwd Avg Bulk Rate", BWD_BLK_RATE_AVG, DOUBLE, "bytes/s", false) \
	X("Subflow Fwd Packets", SUBFLOW_FWD_PKTS, DOUBLE, "packets", false) \
	X(" Subflow Fwd Bytes", SUBFLOW_FWD_BYTS, DOUBLE, "bytes", false) \
	X(" Subflow Bwd Packets", SUBFLOW_BWD_PKTS, DOUBLE, "packets", false) \
	X(" Subflow Bwd Bytes", SUBFLOW_BWD_BYTS, DOUBLE, "bytes", false) \
	X("Init_Win_bytes_forward", INIT_FWD_WIN_BYTS, INT64, "bytes", false) \
	X(" Init_Win_bytes_backward", INIT_BWD_WIN_BYTS, INT64, "bytes", false) \
	X(" act_data_pkt_fwd", FWD_ACT_DATA_PKTS, INT64, "packets", false) \
	X(" min_seg_size_forward", FWD_SEG_SIZE_MIN, INT64, "bytes", false) \
	X("Active Mean", ACTIVE_MEAN, DOUBLE, "us", false) \
	X(" Active Std", ACTIVE_STD, DOUBLE, "us", false) \
	X(" Active Max", ACTIVE_MAX, DOUBLE, "us", false) \
	X(" Active Min", ACTIVE_MIN, DOUBLE, "us", false) \
	X("Idle Mean", IDLE_MEAN, DOUBLE, "us", false) \
	X(" Idle Std", IDLE_STD, DOUBLE, "us", false) \
	X(" Idle Max", IDLE_MAX, DOUBLE, "us", false) \
	X(" Idle Min", IDLE_MIN, DOUBLE, "us", false)

static const struct fp_feature_field cic2017_fields[] = {
#define C17_FIELD(name, id, type, unit, nullable) \
	{ name, FP_TYPE_##type, FP_UNIT_MICROS, nullable, unit, "cic's " #id " (docs/features.md), in this unit" },
	CIC2017_COLUMNS(C17_FIELD)
#undef C17_FIELD
};

/* Column i's cic value (its unit, "us" or "s", is the column's). */
static const uint8_t cic2017_ids[] = {
#define C17_ID(name, id, type, unit, nullable) FP_CIC_##id,
	CIC2017_COLUMNS(C17_ID)
#undef C17_ID
};

static int cic2017_append(const void *plan, const struct fp_feature_row *row, const struct fp_flow *flow,
			  const void *state, enum fp_flow_end why)
{
	struct fp_cic_row r;

	(void)plan;
	(void)why;
	fp_cic_values(state, flow, &r);
	return fp_cic_put(row, &r, cic2017_ids);
}

static void cic2017_flow_config(struct fp_flow_config *c)
{
	fp_cic_flow_config(c);
	c->active_timeout_ns = 120LL * 1000000000LL;	/* CICFlowMeter's flow timeout */
}

const struct fp_feature_set fp_features_cic2017 = {
	.name = "cic2017",
	.description = "cic's values under the CIC-IDS-2017 MachineLearningCVE header names and units",
	.state_size = sizeof(struct fp_cic_state),
	.own_record = true,
	.flow_config = cic2017_flow_config,
	.fields = cic2017_fields,
	.nfields = sizeof(cic2017_fields) / sizeof(cic2017_fields[0]),
	.init = fp_cic_init,
	.packet = fp_cic_packet,
	.end = fp_cic_end,
	.append = cic2017_append,
};
