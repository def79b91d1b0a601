/*
 * test-canon.c - canonicalize's parts: the schema's aliases, keys, units
 * from names, timestamps, protocol names, cell conversion and the row loop
 * with its rejection rules.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon/canonicalize.h"
#include "canon/protocol.h"
#include "canon/resolve.h"
#include "canon/spec.h"
#include "canon/timestamp.h"
#include "canon/units.h"
#include "test.h"

static const struct fp_canon_time_options utc = { 0, false };

static int64_t ts(const char *s, const struct fp_canon_time_options *o)
{
	int64_t us = -1;
	const char *why = NULL;

	if (fp_canon_parse_datetime(s, strlen(s), o, &us, &why) < 0)
		return -1;
	return us;
}

static void test_keys_and_units(void)
{
	char *k = fp_canon_key(" Source IP");
	CHECK_EQ_STR(k, "sourceip");
	free(k);
	k = fp_canon_key("id.orig_h");
	CHECK_EQ_STR(k, "idorigh");
	free(k);
	CHECK_EQ_INT(fp_canon_unit_from_name("FLOW_DURATION_MILLISECONDS"), FP_CANON_UNIT_MS);
	CHECK_EQ_INT(fp_canon_unit_from_name("TimeFlowStartMs"), FP_CANON_UNIT_MS);
	CHECK_EQ_INT(fp_canon_unit_from_name("time_flow_start_ns"), FP_CANON_UNIT_NS);
	CHECK_EQ_INT(fp_canon_unit_from_name("duration_s"), FP_CANON_UNIT_S);
	CHECK_EQ_INT(fp_canon_unit_from_name("flowDurationMicroseconds"), FP_CANON_UNIT_US);
	CHECK_EQ_INT(fp_canon_unit_from_name(" Flow Duration"), FP_CANON_UNIT_NONE);
	CHECK_EQ_INT(fp_canon_unit_from_name("ts"), FP_CANON_UNIT_NONE);
	CHECK_EQ_INT(fp_canon_unit_from_name("dur"), FP_CANON_UNIT_NONE);
	CHECK_EQ_INT(fp_canon_unit_from_name("duration_\xc2\xb5s"), FP_CANON_UNIT_US);
}

static void test_timestamps(void)
{
	struct fp_canon_time_options mdy = { 0, true }, adt = { -3 * 3600, false };
	int64_t us = 0;
	const char *why;

	/* 2017-07-07 08:59:50 UTC = 1499417990 */
	CHECK_EQ_INT(ts("2017-07-07 08:59:50", &utc), 1499417990000000LL);
	CHECK_EQ_INT(ts("2017-07-07T08:59:50Z", &utc), 1499417990000000LL);
	CHECK_EQ_INT(ts("2017-07-07T08:59:50.123456+0000", &utc), 1499417990123456LL);
	CHECK_EQ_INT(ts("2017-07-07T10:59:50.5+02:00", &utc), 1499417990500000LL);
	CHECK_EQ_INT(ts("7/7/2017 8:59", &utc), 1499417940000000LL);
	CHECK_EQ_INT(ts("07/07/2017 08:59:50 AM", &utc), 1499417990000000LL);
	CHECK_EQ_INT(ts("07/07/2017 08:59:50 PM", &utc), 1499417990000000LL + 12 * 3600000000LL);
	CHECK_EQ_INT(ts("12/07/2017 12:00:00 AM", &utc), ts("2017-07-12 00:00:00", &utc));
	CHECK_EQ_INT(ts("3/7/2017 8:55", &utc), ts("2017-07-03 08:55", &utc));	/* CIC: day first */
	CHECK_EQ_INT(ts("3/7/2017 8:55", &mdy), ts("2017-03-07 08:55", &utc));
	CHECK_EQ_INT(ts("14/02/2018 08:31:01", &utc), ts("2018-02-14 08:31:01", &utc));
	CHECK_EQ_INT(ts("2/14/2018 08:31:01", &utc), -1);	/* day-first: month 14 is refused */
	CHECK_EQ_INT(ts("2017-07-07 08:59:50", &adt), 1499417990000000LL + 3 * 3600000000LL);
	CHECK_EQ_INT(ts("2017-07-07 08:59:50Z", &adt), 1499417990000000LL);
	CHECK_EQ_INT(ts("2017-02-29 00:00:00", &utc), -1);
	CHECK_EQ_INT(ts("2016-02-29", &utc), 1456704000000000LL);
	CHECK_EQ_INT(ts("2017-07-07 25:00:00", &utc), -1);
	CHECK_EQ_INT(ts("yesterday", &utc), -1);
	CHECK_EQ_INT(ts("2017-07-07 08:59:50 junk", &utc), -1);

	/* epoch numbers: by magnitude, or the unit given */
	CHECK(fp_canon_epoch_i64_to_us(1499417990, FP_CANON_UNIT_NONE, &us, &why) == 0 && us == 1499417990000000LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990123LL, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1499417990123000LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990123456LL, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1499417990123456LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990123456789LL, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1499417990123456LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990, FP_CANON_UNIT_MS, &us, &why) == 0 && us == 1499417990000LL);
	CHECK(fp_canon_epoch_f64_to_us(1300475167.096535, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1300475167096535LL);
	CHECK(fp_canon_epoch_i64_to_us(-5, FP_CANON_UNIT_NONE, &us, &why) < 0);
	CHECK(fp_canon_epoch_f64_to_us(NAN, FP_CANON_UNIT_NONE, &us, &why) < 0);

	int32_t off = 1;
	CHECK(fp_canon_parse_tz_offset("UTC", &off) == 0 && off == 0);
	CHECK(fp_canon_parse_tz_offset("-03:00", &off) == 0 && off == -10800);
	CHECK(fp_canon_parse_tz_offset("+0530", &off) == 0 && off == 19800);
	CHECK(fp_canon_parse_tz_offset("+5", &off) == 0 && off == 18000);
	CHECK(fp_canon_parse_tz_offset("Europe/Berlin", &off) < 0);
}

static void test_protocols(void)
{
	CHECK_EQ_INT(fp_canon_protocol_number("tcp", 3), 6);
	CHECK_EQ_INT(fp_canon_protocol_number("UDP", 3), 17);
	CHECK_EQ_INT(fp_canon_protocol_number("icmp", 4), 1);
	CHECK_EQ_INT(fp_canon_protocol_number("ipv6-icmp", 9), 58);
	CHECK_EQ_INT(fp_canon_protocol_number("sctp", 4), 132);
	CHECK_EQ_INT(fp_canon_protocol_number("arp", 3), -1);
}

/* The embedded schema: at least 150 aliases, all distinct as keys. */
static void test_default_spec(void)
{
	struct fp_error err = { { 0 } };
	struct fp_canon_spec *s = fp_canon_spec_default(&err);
	size_t n = 0;

	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	for (size_t t = 0; t < s->ntargets; t++)
		n += s->targets[t].field->naliases;
	CHECK(n >= 150);
	CHECK(s->nlabels >= 6);
	CHECK_EQ_INT(s->fields->nfields, 11);
	fp_canon_spec_free(s);
}

static void test_spec_refuses_shared_alias(void)
{
	const char *bad = "{\"fields\":[{\"name\":\"a\",\"type\":\"int32\",\"aliases\":[\"Src Port\"]},"
			  "{\"name\":\"b\",\"type\":\"int32\",\"aliases\":[\"src_port\"]}]}";
	struct fp_error err = { { 0 } };
	struct fp_canon_spec *s = fp_canon_spec_parse(bad, strlen(bad), "bad.json", &err);

	CHECK(s == NULL);
	CHECK(strstr(err.msg, "bad.json") != NULL && strstr(err.msg, "src_port") != NULL);
}

int main(void)
{
	RUN(test_keys_and_units);
	RUN(test_timestamps);
	RUN(test_protocols);
	RUN(test_default_spec);
	RUN(test_spec_refuses_shared_alias);
	return TEST_RESULT();
}
