/*
 * flow.h - one bidirectional flow: its key and its fixed-size state.
 *
 * The key is the direction-normalized 5-tuple: endpoint `lo` is the smaller
 * (address, port) pair, so both directions of a conversation find the same
 * entry (ICMP: addresses are ordered alone and the ports hold the request
 * type and the code, so an echo and its reply share a flow; use the
 * fp_flow_src_port()/fp_flow_dst_port() accessors, which know this).
 *
 * Direction: forward is the initiator's direction. The initiator is the
 * sender of the flow's first packet, except that a first packet which is a
 * TCP SYN+ACK, or an ICMP/ICMPv6 reply type (echo reply...), makes its
 * receiver the initiator: the capture started after the opening packet.
 *
 * The state is fixed-size (O(1) in packets). A feature set may ask the
 * engine for `extra_state_bytes` more per flow; they follow the struct at
 * fp_flow_extra().
 */
#ifndef FP_FLOW_FLOW_H
#define FP_FLOW_FLOW_H

#include <stdint.h>

struct fp_flow_key {
	uint8_t lo_addr[16];	/* IPv4: 4 bytes then zeros */
	uint8_t hi_addr[16];
	uint16_t lo_port;
	uint16_t hi_port;
	uint8_t proto;
	uint8_t ip_version;	/* 4 or 6 */
	uint16_t vlan_id;	/* 0 unless the engine is configured to key on VLAN */
};				/* 40 bytes */

enum fp_flow_dir { FP_DIR_FWD = 0, FP_DIR_BWD = 1 };

/* Why a flow record was ended. */
enum fp_flow_end {
	FP_END_IDLE,		/* no packet for more than the idle timeout */
	FP_END_ACTIVE,		/* lasted more than the active timeout */
	FP_END_TCP_CLOSE,	/* FIN from both sides, or RST (with tcp_close) */
	FP_END_EVICTED,		/* table full: least recently seen flow evicted */
	FP_END_FLUSH,		/* end of input */
	FP_END__COUNT
};

const char *fp_flow_end_name(enum fp_flow_end e);

/* Flags in fp_flow.state. */
#define FP_FLOW_INITIATOR_HI 0x01	/* the initiator is key.hi (else key.lo) */
#define FP_FLOW_FIN_FWD 0x02
#define FP_FLOW_FIN_BWD 0x04
#define FP_FLOW_RST 0x08
#define FP_FLOW_CLOSED 0x10		/* FIN both ways or RST seen (with tcp_close) */
/* FIN_FWD, FIN_BWD and RST are recorded whether or not tcp_close is on;
 * only CLOSED (and so the early end) depends on it. */

struct fp_flow {
	struct fp_flow_key key;
	int64_t first_ns;		/* time of the first packet */
	int64_t last_ns;		/* time of the latest packet */
	uint64_t pkts[2];		/* indexed by enum fp_flow_dir */
	uint64_t bytes[2];		/* in the engine's byte accounting */
	uint32_t lru_prev, lru_next;	/* recency list (idle expiry, eviction) */
	uint32_t age_prev, age_next;	/* creation-order list (active expiry, flush order) */
	uint32_t hash;
	uint8_t state;			/* FP_FLOW_* flags */
	uint8_t tcp_flags_or[2];	/* OR of TCP flags seen per direction */
	uint8_t reserved;
};

static inline void *fp_flow_extra(struct fp_flow *f) { return f + 1; }

/* The initiator's (source's) and responder's endpoints. */
static inline const uint8_t *fp_flow_src_addr(const struct fp_flow *f)
{
	return (f->state & FP_FLOW_INITIATOR_HI) ? f->key.hi_addr : f->key.lo_addr;
}
static inline const uint8_t *fp_flow_dst_addr(const struct fp_flow *f)
{
	return (f->state & FP_FLOW_INITIATOR_HI) ? f->key.lo_addr : f->key.hi_addr;
}
/* ICMP (1) and ICMPv6 (58) keys hold (request type, code) in (lo_port,
 * hi_port) whichever address is lower, so they are not per-endpoint ports:
 * src_port is always the type and dst_port the code. */
static inline int fp_flow_key_is_icmp(const struct fp_flow_key *k)
{
	return k->proto == 1 || k->proto == 58;
}
static inline uint16_t fp_flow_src_port(const struct fp_flow *f)
{
	if (fp_flow_key_is_icmp(&f->key))
		return f->key.lo_port;
	return (f->state & FP_FLOW_INITIATOR_HI) ? f->key.hi_port : f->key.lo_port;
}
static inline uint16_t fp_flow_dst_port(const struct fp_flow *f)
{
	if (fp_flow_key_is_icmp(&f->key))
		return f->key.hi_port;
	return (f->state & FP_FLOW_INITIATOR_HI) ? f->key.lo_port : f->key.hi_port;
}

#endif
