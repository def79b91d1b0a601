/*
 * cic-columns.h - the 82 columns of pcapflower 1.1.0 (CICFlowMeter's
 * feature list), in its order: the one list of them, shared by the sets
 * that output them (cic: corrected definitions; pcapflower: that tool's
 * own; cic2017: cic's values under CIC-IDS-2017's header names).
 *
 * X(ID, name, cic type, pcapflower type, unit, cic definition,
 *   how pcapflower 1.1.0 differs)
 * The cic definition is the column's description in the record schema
 * (Parquet metadata, docs/features.md); pcapflower's description is the
 * same followed by its difference. "fwd" is the initiator's direction
 * (flow.h), "length" a packet's IP datagram length from its header.
 *
 * A set computes a `struct fp_cic_row` (every value by column ID) and
 * fp_cic_put() writes it in whatever column order and units the set's
 * field table says.
 */
#ifndef FP_FLOW_FEATURES_CIC_COLUMNS_H
#define FP_FLOW_FEATURES_CIC_COLUMNS_H

#include <stdint.h>

#include "flow/feature-set.h"

#define PF_SAME ""
#define FP_CIC_COLUMNS(X) \
X(SRC_IP, "src_ip", STRING, STRING, NULL, "Initiator's IP address.", " pcapflower: the first packet's sender, even a SYN+ACK.") \
X(DST_IP, "dst_ip", STRING, STRING, NULL, "Responder's IP address.", " pcapflower: the first packet's receiver.") \
X(SRC_PORT, "src_port", INT32, INT32, NULL, "Initiator's port (ICMP: type).", PF_SAME) \
X(DST_PORT, "dst_port", INT32, INT32, NULL, "Responder's port (ICMP: code).", PF_SAME) \
X(PROTOCOL, "protocol", INT32, INT32, NULL, "IP protocol number.", " pcapflower: 6 or 17 only (IPv4 TCP/UDP).") \
X(TIMESTAMP, "timestamp", TIMESTAMP, DOUBLE, "us", "First packet's capture time.", " pcapflower: epoch seconds as a double.") \
X(FLOW_DURATION, "flow_duration", DOUBLE, DOUBLE, "s", "Last packet time - first packet time; 0 for one packet.", " pcapflower: difference of double epoch seconds.") \
X(FLOW_BYTS_S, "flow_byts_s", DOUBLE, DOUBLE, "bytes/s", "(totlen_fwd_pkts + totlen_bwd_pkts) / flow_duration; null when flow_duration is 0.", " pcapflower: 0 when the duration is 0.") \
X(FLOW_PKTS_S, "flow_pkts_s", DOUBLE, DOUBLE, "packets/s", "(tot_fwd_pkts + tot_bwd_pkts) / flow_duration; null when flow_duration is 0.", " pcapflower: 0 when the duration is 0.") \
X(FWD_PKTS_S, "fwd_pkts_s", DOUBLE, DOUBLE, "packets/s", "tot_fwd_pkts / flow_duration; null when flow_duration is 0.", " pcapflower: 0 when the duration is 0.") \
X(BWD_PKTS_S, "bwd_pkts_s", DOUBLE, DOUBLE, "packets/s", "tot_bwd_pkts / flow_duration; null when flow_duration is 0.", " pcapflower: 0 when the duration is 0.") \
X(TOT_FWD_PKTS, "tot_fwd_pkts", INT64, INT64, "packets", "Forward packets (IP fragments included).", " pcapflower: later IP fragments not counted.") \
X(TOT_BWD_PKTS, "tot_bwd_pkts", INT64, INT64, "packets", "Backward packets (IP fragments included).", " pcapflower: later IP fragments not counted.") \
X(TOTLEN_FWD_PKTS, "totlen_fwd_pkts", INT64, INT64, "bytes", "Sum of forward packet lengths.", " pcapflower: captured IP bytes (a snaplen shortens them).") \
X(TOTLEN_BWD_PKTS, "totlen_bwd_pkts", INT64, INT64, "bytes", "Sum of backward packet lengths.", " pcapflower: captured IP bytes.") \
X(FWD_PKT_LEN_MAX, "fwd_pkt_len_max", INT64, DOUBLE, "bytes", "Largest forward packet length; 0 without forward packets.", " pcapflower: captured IP bytes.") \
X(FWD_PKT_LEN_MIN, "fwd_pkt_len_min", INT64, DOUBLE, "bytes", "Smallest forward packet length; 0 without forward packets.", " pcapflower: captured IP bytes.") \
X(FWD_PKT_LEN_MEAN, "fwd_pkt_len_mean", DOUBLE, DOUBLE, "bytes", "Mean forward packet length; 0 without forward packets.", " pcapflower: captured IP bytes.") \
X(FWD_PKT_LEN_STD, "fwd_pkt_len_std", DOUBLE, DOUBLE, "bytes", "Sample standard deviation (n - 1) of forward packet lengths; 0 below 2 packets.", " pcapflower: population (n), captured IP bytes.") \
X(BWD_PKT_LEN_MAX, "bwd_pkt_len_max", INT64, DOUBLE, "bytes", "Largest backward packet length; 0 without backward packets.", " pcapflower: captured IP bytes.") \
X(BWD_PKT_LEN_MIN, "bwd_pkt_len_min", INT64, DOUBLE, "bytes", "Smallest backward packet length; 0 without backward packets.", " pcapflower: captured IP bytes.") \
X(BWD_PKT_LEN_MEAN, "bwd_pkt_len_mean", DOUBLE, DOUBLE, "bytes", "Mean backward packet length; 0 without backward packets.", " pcapflower: captured IP bytes.") \
X(BWD_PKT_LEN_STD, "bwd_pkt_len_std", DOUBLE, DOUBLE, "bytes", "Sample standard deviation of backward packet lengths; 0 below 2 packets.", " pcapflower: population (n), captured IP bytes.") \
X(PKT_LEN_MAX, "pkt_len_max", INT64, DOUBLE, "bytes", "Largest packet length, both directions.", " pcapflower: captured IP bytes.") \
X(PKT_LEN_MIN, "pkt_len_min", INT64, DOUBLE, "bytes", "Smallest packet length, both directions.", " pcapflower: captured IP bytes.") \
X(PKT_LEN_MEAN, "pkt_len_mean", DOUBLE, DOUBLE, "bytes", "Mean packet length, both directions.", " pcapflower: captured IP bytes.") \
X(PKT_LEN_STD, "pkt_len_std", DOUBLE, DOUBLE, "bytes", "Sample standard deviation of packet lengths, both directions; 0 below 2 packets.", " pcapflower: population (n).") \
X(PKT_LEN_VAR, "pkt_len_var", DOUBLE, DOUBLE, "bytes^2", "Sample variance of packet lengths, both directions; 0 below 2 packets.", " pcapflower: population (n).") \
X(FWD_HEADER_LEN, "fwd_header_len", INT64, INT64, "bytes", "Sum of forward transport header lengths: TCP data offset x 4, UDP 8, ICMP 8, 0 for later fragments and other protocols.", " pcapflower: 0 for every TCP packet (its data-offset mask bug).") \
X(BWD_HEADER_LEN, "bwd_header_len", INT64, INT64, "bytes", "Sum of backward transport header lengths, as fwd_header_len.", " pcapflower: 0 for every TCP packet.") \
X(FWD_SEG_SIZE_MIN, "fwd_seg_size_min", INT64, INT64, "bytes", "Smallest forward transport header length (CICFlowMeter's min_seg_size_forward); 0 without forward packets.", " pcapflower: 0 for TCP.") \
X(FWD_ACT_DATA_PKTS, "fwd_act_data_pkts", INT64, INT64, "packets", "Forward packets with at least 1 byte of transport payload.", " pcapflower: captured payload.") \
X(FLOW_IAT_MEAN, "flow_iat_mean", DOUBLE, DOUBLE, "s", "Mean time between consecutive packets of the flow; 0 below 2 packets.", PF_SAME) \
X(FLOW_IAT_MAX, "flow_iat_max", DOUBLE, DOUBLE, "s", "Largest time between consecutive packets; 0 below 2 packets.", PF_SAME) \
X(FLOW_IAT_MIN, "flow_iat_min", DOUBLE, DOUBLE, "s", "Smallest time between consecutive packets; 0 below 2 packets.", PF_SAME) \
X(FLOW_IAT_STD, "flow_iat_std", DOUBLE, DOUBLE, "s", "Sample standard deviation of the flow's inter-arrival times; 0 below 2 times.", " pcapflower: population.") \
X(FWD_IAT_TOT, "fwd_iat_tot", DOUBLE, DOUBLE, "s", "Sum of times between consecutive forward packets (last - first forward packet).", PF_SAME) \
X(FWD_IAT_MAX, "fwd_iat_max", DOUBLE, DOUBLE, "s", "Largest time between consecutive forward packets; 0 below 2.", PF_SAME) \
X(FWD_IAT_MIN, "fwd_iat_min", DOUBLE, DOUBLE, "s", "Smallest time between consecutive forward packets; 0 below 2.", PF_SAME) \
X(FWD_IAT_MEAN, "fwd_iat_mean", DOUBLE, DOUBLE, "s", "Mean time between consecutive forward packets; 0 below 2.", PF_SAME) \
X(FWD_IAT_STD, "fwd_iat_std", DOUBLE, DOUBLE, "s", "Sample standard deviation of forward inter-arrival times; 0 below 2 times.", " pcapflower: population.") \
X(BWD_IAT_TOT, "bwd_iat_tot", DOUBLE, DOUBLE, "s", "Sum of times between consecutive backward packets.", PF_SAME) \
X(BWD_IAT_MAX, "bwd_iat_max", DOUBLE, DOUBLE, "s", "Largest time between consecutive backward packets; 0 below 2.", PF_SAME) \
X(BWD_IAT_MIN, "bwd_iat_min", DOUBLE, DOUBLE, "s", "Smallest time between consecutive backward packets; 0 below 2.", PF_SAME) \
X(BWD_IAT_MEAN, "bwd_iat_mean", DOUBLE, DOUBLE, "s", "Mean time between consecutive backward packets; 0 below 2.", PF_SAME) \
X(BWD_IAT_STD, "bwd_iat_std", DOUBLE, DOUBLE, "s", "Sample standard deviation of backward inter-arrival times; 0 below 2 times.", " pcapflower: population.") \
X(FWD_PSH_FLAGS, "fwd_psh_flags", INT64, INT64, "packets", "Forward TCP packets with PSH.", PF_SAME) \
X(BWD_PSH_FLAGS, "bwd_psh_flags", INT64, INT64, "packets", "Backward TCP packets with PSH (CICFlowMeter left it 0).", PF_SAME) \
X(FWD_URG_FLAGS, "fwd_urg_flags", INT64, INT64, "packets", "Forward TCP packets with URG.", PF_SAME) \
X(BWD_URG_FLAGS, "bwd_urg_flags", INT64, INT64, "packets", "Backward TCP packets with URG (CICFlowMeter left it 0).", PF_SAME) \
X(FIN_FLAG_CNT, "fin_flag_cnt", INT64, INT64, "packets", "TCP packets with FIN, both directions.", PF_SAME) \
X(SYN_FLAG_CNT, "syn_flag_cnt", INT64, INT64, "packets", "TCP packets with SYN, both directions.", PF_SAME) \
X(RST_FLAG_CNT, "rst_flag_cnt", INT64, INT64, "packets", "TCP packets with RST, both directions.", PF_SAME) \
X(PSH_FLAG_CNT, "psh_flag_cnt", INT64, INT64, "packets", "TCP packets with PSH, both directions.", PF_SAME) \
X(ACK_FLAG_CNT, "ack_flag_cnt", INT64, INT64, "packets", "TCP packets with ACK, both directions.", PF_SAME) \
X(URG_FLAG_CNT, "urg_flag_cnt", INT64, INT64, "packets", "TCP packets with URG, both directions.", PF_SAME) \
X(ECE_FLAG_CNT, "ece_flag_cnt", INT64, INT64, "packets", "TCP packets with ECE, both directions.", PF_SAME) \
X(DOWN_UP_RATIO, "down_up_ratio", DOUBLE, DOUBLE, NULL, "tot_bwd_pkts / tot_fwd_pkts as a real number (CICFlowMeter: integer division); 0 without forward packets.", PF_SAME) \
X(PKT_SIZE_AVG, "pkt_size_avg", DOUBLE, DOUBLE, "bytes", "(totlen_fwd_pkts + totlen_bwd_pkts) / (tot_fwd_pkts + tot_bwd_pkts).", " pcapflower: captured IP bytes.") \
X(FWD_SEG_SIZE_AVG, "fwd_seg_size_avg", DOUBLE, DOUBLE, "bytes", "Mean forward transport payload (segment) length; 0 without forward packets.", " pcapflower: totlen_fwd_pkts / tot_fwd_pkts (whole packets, not segments).") \
X(BWD_SEG_SIZE_AVG, "bwd_seg_size_avg", DOUBLE, DOUBLE, "bytes", "Mean backward transport payload length; 0 without backward packets.", " pcapflower: totlen_bwd_pkts / tot_bwd_pkts.") \
X(FWD_BYTS_B_AVG, "fwd_byts_b_avg", DOUBLE, DOUBLE, "bytes", "Forward bulk payload bytes / forward bulks (CICFlowMeter's bulk: >= 4 consecutive forward payload packets, each within 1 s of the previous, with no backward payload packet since the run began); 0 without bulk.", " pcapflower: a run of >= 5 payload packets closed by a forward zero-payload packet, the other direction ignored, an open run dropped.") \
X(FWD_PKTS_B_AVG, "fwd_pkts_b_avg", DOUBLE, DOUBLE, "packets", "Forward bulk packets / forward bulks; 0 without bulk.", " pcapflower: its bulk (see fwd_byts_b_avg).") \
X(FWD_BLK_RATE_AVG, "fwd_blk_rate_avg", DOUBLE, DOUBLE, "bytes/s", "Forward bulk payload bytes / forward bulk duration (first to last packet of each bulk, summed); 0 when that duration is 0.", " pcapflower: its bulk.") \
X(BWD_BYTS_B_AVG, "bwd_byts_b_avg", DOUBLE, DOUBLE, "bytes", "Backward bulk payload bytes / backward bulks, as forward.", " pcapflower: its bulk.") \
X(BWD_PKTS_B_AVG, "bwd_pkts_b_avg", DOUBLE, DOUBLE, "packets", "Backward bulk packets / backward bulks.", " pcapflower: its bulk.") \
X(BWD_BLK_RATE_AVG, "bwd_blk_rate_avg", DOUBLE, DOUBLE, "bytes/s", "Backward bulk payload bytes / backward bulk duration; 0 when that duration is 0.", " pcapflower: its bulk.") \
X(SUBFLOW_FWD_PKTS, "subflow_fwd_pkts", DOUBLE, INT64, "packets", "tot_fwd_pkts / subflows, where subflows = 1 + gaps > 1 s between consecutive packets (real division).", " pcapflower: integer division.") \
X(SUBFLOW_FWD_BYTS, "subflow_fwd_byts", DOUBLE, INT64, "bytes", "totlen_fwd_pkts / subflows.", " pcapflower: integer division.") \
X(SUBFLOW_BWD_PKTS, "subflow_bwd_pkts", DOUBLE, INT64, "packets", "tot_bwd_pkts / subflows.", " pcapflower: integer division.") \
X(SUBFLOW_BWD_BYTS, "subflow_bwd_byts", DOUBLE, INT64, "bytes", "totlen_bwd_pkts / subflows.", " pcapflower: integer division.") \
X(INIT_FWD_WIN_BYTS, "init_fwd_win_byts", INT64, INT64, "bytes", "TCP window field of the first forward TCP packet (unscaled); -1 when there is none.", PF_SAME) \
X(INIT_BWD_WIN_BYTS, "init_bwd_win_byts", INT64, INT64, "bytes", "TCP window field of the first backward TCP packet; -1 when there is none.", PF_SAME) \
X(ACTIVE_MAX, "active_max", DOUBLE, DOUBLE, "s", "Longest active period: a run of packets with no gap > 5 s, first to last packet, periods of length 0 not counted, the last period included; 0 without one.", " pcapflower: the last period never counted.") \
X(ACTIVE_MIN, "active_min", DOUBLE, DOUBLE, "s", "Shortest active period; 0 without one.", " pcapflower: the last period never counted.") \
X(ACTIVE_MEAN, "active_mean", DOUBLE, DOUBLE, "s", "Mean active period; 0 without one.", " pcapflower: the last period never counted.") \
X(ACTIVE_STD, "active_std", DOUBLE, DOUBLE, "s", "Sample standard deviation of active periods; 0 below 2.", " pcapflower: population, the last period never counted.") \
X(IDLE_MAX, "idle_max", DOUBLE, DOUBLE, "s", "Longest idle period: a gap > 5 s between consecutive packets; 0 without one.", PF_SAME) \
X(IDLE_MIN, "idle_min", DOUBLE, DOUBLE, "s", "Shortest idle period; 0 without one.", PF_SAME) \
X(IDLE_MEAN, "idle_mean", DOUBLE, DOUBLE, "s", "Mean idle period; 0 without one.", PF_SAME) \
X(IDLE_STD, "idle_std", DOUBLE, DOUBLE, "s", "Sample standard deviation of idle periods; 0 below 2.", " pcapflower: population.") \
X(CWR_FLAG_COUNT, "cwr_flag_count", INT64, INT64, "packets", "TCP packets with CWR, both directions.", PF_SAME)

enum fp_cic_column {
#define FP_CIC_ID(id, name, ct, pt, unit, desc, pf) FP_CIC_##id,
	FP_CIC_COLUMNS(FP_CIC_ID)
#undef FP_CIC_ID
	FP_CIC__COUNT
};

/* A flow's values, by column ID: numbers as doubles (the integer columns
 * hold integers, exact below 2^53), addresses and the start time aside. */
struct fp_cic_row {
	double v[FP_CIC__COUNT];
	bool null[FP_CIC__COUNT];	/* only nullable columns are ever set */
	const uint8_t *src_addr, *dst_addr;
	uint8_t ip_version;
	int64_t first_ns;		/* for TIMESTAMP columns */
	bool times_ns;			/* durations are in ns, to be put in the column's unit ("s" or
					 * "us"); else already in the column's unit */
};

/* Writes `r` into row->batch's current row: column i of the set is value
 * ids[i] (ids NULL: column i is value i). Returns -1 when memory runs out. */
int fp_cic_put(const struct fp_feature_row *row, const struct fp_cic_row *r, const uint8_t *ids);

/* Whether a column may be null in the corrected sets (the rates: a flow
 * that lasted no time has none). A constant expression, for field tables. */
#define fp_cic_nullable_id(c) \
	((c) == FP_CIC_FLOW_BYTS_S || (c) == FP_CIC_FLOW_PKTS_S || (c) == FP_CIC_FWD_PKTS_S || \
	 (c) == FP_CIC_BWD_PKTS_S)

#endif
