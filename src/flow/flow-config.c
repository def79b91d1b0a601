/*
 * flow-config.c - what a flow engine may be set to: defaults, the one
 * validation of a configuration, which settings may change while flows
 * live, and the names users give byte modes.
 *
 * Front ends (the CLI's options, the daemon's YAML) parse values with
 * lib/parse-value and then ask fp_flow_config_validate(), so every rule
 * about flow settings lives here once and reads the same from both.
 */
#include "config.h"

#include <string.h>

#include "flow/flow-engine.h"

#define NS_PER_SEC 1000000000LL

const struct fp_enum_name fp_byte_mode_names[] = {
	{ "ip", FP_BYTES_IP },
	{ "frame", FP_BYTES_FRAME },
	{ "payload", FP_BYTES_PAYLOAD },
	{ NULL, 0 },
};

void fp_flow_config_defaults(struct fp_flow_config *c)
{
	memset(c, 0, sizeof(*c));
	c->idle_timeout_ns = 60 * NS_PER_SEC;
	c->active_timeout_ns = 3600 * NS_PER_SEC;
	c->tcp_close = false;
	c->tcp_close_linger_ns = 1 * NS_PER_SEC;
	c->max_flows = 0;
	c->byte_mode = FP_BYTES_IP;
	c->key_vlan = false;
	c->extra_state_bytes = 0;
	c->expire_per_packet = 64;
	c->hash_seed_fixed = false;
	c->hash_seed = 0;
}

static int check_timeouts(const struct fp_flow_config *c, struct fp_error *err)
{
	if (c->idle_timeout_ns <= 0)
		return fp_error_set(err, "the idle timeout must be more than 0 (it is %lld ns)",
				    (long long)c->idle_timeout_ns);
	if (c->active_timeout_ns <= 0)
		return fp_error_set(err, "the active timeout must be more than 0 (it is %lld ns)",
				    (long long)c->active_timeout_ns);
	if (c->tcp_close_linger_ns < 0)
		return fp_error_set(err, "the TCP close linger must not be negative (it is %lld ns)",
				    (long long)c->tcp_close_linger_ns);
	/* A closed flow lingering past its idle timeout would end as idle
	 * anyway: a longer linger could only mislead. */
	if (c->tcp_close_linger_ns > c->idle_timeout_ns)
		return fp_error_set(err, "the TCP close linger (%lld ns) must not be longer than the "
				    "idle timeout (%lld ns)", (long long)c->tcp_close_linger_ns,
				    (long long)c->idle_timeout_ns);
	return 0;
}

int fp_flow_config_validate(const struct fp_flow_config *c, struct fp_error *err)
{
	if (check_timeouts(c, err) < 0)
		return -1;
	if (fp_enum_name(fp_byte_mode_names, (int)c->byte_mode) == NULL)
		return fp_error_set(err, "unknown byte mode %d", (int)c->byte_mode);
	if (c->max_flows > FP_FLOW_MAX_FLOWS_LIMIT)
		return fp_error_set(err, "max_flows %zu is more than the %zu supported", c->max_flows,
				    FP_FLOW_MAX_FLOWS_LIMIT);
	if (c->extra_state_bytes > FP_FLOW_EXTRA_STATE_MAX)
		return fp_error_set(err, "extra state of %zu bytes per flow is more than the %d allowed",
				    c->extra_state_bytes, FP_FLOW_EXTRA_STATE_MAX);
	return 0;
}

/* The settings that shape keys and entries: a live table cannot take a
 * new value of any of them without rebuilding every flow. */
static int check_fixed(const struct fp_flow_config *from, const struct fp_flow_config *to,
		       struct fp_error *err)
{
	if (to->key_vlan != from->key_vlan)
		return fp_error_set(err, "whether the VLAN ID is part of the key cannot change while flows live");
	if (to->byte_mode != from->byte_mode)
		return fp_error_set(err, "the byte mode cannot change while flows live (it is %s)",
				    fp_enum_name(fp_byte_mode_names, (int)from->byte_mode));
	if (to->extra_state_bytes != from->extra_state_bytes)
		return fp_error_set(err, "the per-flow extra state cannot change size while flows live "
				    "(%zu bytes)", from->extra_state_bytes);
	if (to->hash_seed_fixed != from->hash_seed_fixed || (to->hash_seed_fixed && to->hash_seed != from->hash_seed))
		return fp_error_set(err, "the hash seed cannot change while flows live");
	return 0;
}

int fp_flow_config_validate_change(const struct fp_flow_config *from, const struct fp_flow_config *to,
				   struct fp_error *err)
{
	if (fp_flow_config_validate(to, err) < 0)
		return -1;
	return check_fixed(from, to, err);
}
