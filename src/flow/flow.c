/*
 * flow.c - names for flow.h's enums (stable: they appear in output).
 */
#include "config.h"

#include "flow/flow.h"

const char *fp_flow_end_name(enum fp_flow_end e)
{
	switch (e) {
	case FP_END_IDLE: return "idle";
	case FP_END_ACTIVE: return "active";
	case FP_END_TCP_CLOSE: return "tcp-close";
	case FP_END_EVICTED: return "evicted";
	case FP_END_FLUSH: return "flush";
	case FP_END__COUNT: break;
	}
	return "unknown";
}
