/*
 * test-record.c - JSON reader, schema loading and the record batch.
 */
#include "config.h"

#include <string.h>

#include "lib/json.h"
#include "record/batch.h"
#include "record/schema.h"
#include "tests/unit/test.h"

static void test_json_values(void)
{
	const char *doc = "{\"a\": [1, -2.5e3, \"x\\u00e9\\ud83d\\ude00\\n\"], \"b\": {\"c\": true, \"d\": null},"
			  " \"big\": 9223372036854775807}";
	struct fp_error err = { "" };
	struct fp_json *j = fp_json_parse(doc, strlen(doc), &err);
	const struct fp_json *a;
	int64_t big = 0;

	CHECK(j != NULL);
	if (j == NULL)
		return;
	a = fp_json_get(j, "a");
	CHECK(a && a->type == FP_JSON_ARRAY && a->n == 3);
	CHECK(fp_json_double(&a->items[1]) == -2500.0);
	CHECK_EQ_STR(a->items[2].text, "x\xc3\xa9\xf0\x9f\x98\x80\n");
	CHECK(fp_json_get_bool(fp_json_get(j, "b"), "c", false));
	CHECK(fp_json_get(fp_json_get(j, "b"), "d")->type == FP_JSON_NULL);
	CHECK(fp_json_int64(fp_json_get(j, "big"), &big) == 0 && big == INT64_MAX);
	fp_json_free(j);
}

static void test_json_errors(void)
{
	const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "\"abc", "tru", "[1] x", "\"\\u12\"", "{\"a\":\"\x01\"}" };
	struct fp_error err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		CHECK(fp_json_parse(bad[i], strlen(bad[i]), &err) == NULL);
		CHECK(strstr(err.msg, "line 1, column") != NULL);
	}
	/* deep nesting is refused, not a stack overflow */
	char deep[300];
	memset(deep, '[', sizeof(deep));
	CHECK(fp_json_parse(deep, sizeof(deep), &err) == NULL);
	CHECK(strstr(err.msg, "too deep") != NULL);
	/* the line number is counted */
	CHECK(fp_json_parse("{\n\n  x}", 7, &err) == NULL);
	CHECK(strstr(err.msg, "line 3, column 3") != NULL);
}

static bool has_alias(const struct fp_field *f, const char *name)
{
	for (size_t i = 0; i < f->naliases; i++)
		if (strcmp(f->aliases[i].name, name) == 0)
			return true;
	return false;
}

static void test_schema_aliases(void)
{
	const char *doc = "{\"fields\":[{\"name\":\"dur\",\"type\":\"float64\",\"unit\":\"s\","
			  "\"aliases\":[\"duration\",{\"name\":\"FLOW_DURATION_MILLISECONDS\",\"unit\":\"ms\"}]}]}";
	const char *bad = "{\"fields\":[{\"name\":\"a\",\"type\":\"int32\",\"aliases\":[3]}]}";
	struct fp_error err = { "" };
	struct fp_schema *s = fp_schema_parse_json(doc, strlen(doc), &err);

	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_EQ_INT(s->fields[0].naliases, 2);
		CHECK_EQ_STR(s->fields[0].aliases[0].name, "duration");
		CHECK(s->fields[0].aliases[0].unit == NULL);
		CHECK_EQ_STR(s->fields[0].aliases[1].name, "FLOW_DURATION_MILLISECONDS");
		CHECK_EQ_STR(s->fields[0].aliases[1].unit, "ms");
	}
	fp_schema_free(s);
	CHECK(fp_schema_parse_json(bad, strlen(bad), &err) == NULL);
	CHECK(strstr(err.msg, "alias 0") != NULL);
}

static void test_netflow_schema(void)
{
	static const char *names[] = { "timestamp", "src_ip", "dest_ip", "src_port", "dest_port", "fwd_bytes",
				       "bwd_bytes", "fwd_pkts", "bwd_pkts", "flow_dur", "protocol" };
	static const enum fp_type types[] = { FP_TYPE_TIMESTAMP, FP_TYPE_STRING, FP_TYPE_STRING, FP_TYPE_INT32,
					      FP_TYPE_INT32, FP_TYPE_INT64, FP_TYPE_INT64, FP_TYPE_INT64,
					      FP_TYPE_INT64, FP_TYPE_DOUBLE, FP_TYPE_INT32 };
	struct fp_error err = { "" };
	struct fp_schema *s = fp_schema_netflow_v1(&err);
	char text[64];

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_EQ_STR(s->name, "netflow");
	CHECK_EQ_STR(s->version, "v1");
	CHECK_EQ_INT(s->nfields, 11);
	for (size_t i = 0; i < 11 && i < s->nfields; i++) {
		CHECK_EQ_STR(s->fields[i].name, names[i]);
		CHECK_EQ_INT(s->fields[i].type, types[i]);
		CHECK(!s->fields[i].nullable);
	}
	CHECK_EQ_INT(s->fields[0].time_unit, FP_UNIT_MICROS);
	fp_field_type_text(&s->fields[0], text, sizeof(text));
	CHECK_EQ_STR(text, "timestamp[us, UTC]");
	CHECK_EQ_INT(fp_schema_find(s, "flow_dur"), 9);
	CHECK_EQ_INT(fp_schema_find(s, "nope"), -1);
	/* what schema.json says of a field is kept, and cloned */
	CHECK_EQ_STR(s->fields[9].unit, "s");
	CHECK(s->fields[9].description != NULL);
	CHECK(s->fields[1].naliases >= 5);
	CHECK(has_alias(&s->fields[1], "id.orig_h"));
	struct fp_schema *c = fp_schema_clone(s);
	CHECK(c && c->nfields == s->nfields && strcmp(c->fields[4].name, "dest_port") == 0);
	CHECK(c && c->fields[1].naliases == s->fields[1].naliases && has_alias(&c->fields[1], "id.orig_h"));
	fp_schema_free(c);
	fp_schema_free(s);
}

static void test_schema_errors(void)
{
	struct fp_error err = { "" };
	const char *dup = "{\"fields\":[{\"name\":\"a\",\"type\":\"int32\"},{\"name\":\"a\",\"type\":\"int64\"}]}";
	const char *badtype = "{\"fields\":[{\"name\":\"a\",\"type\":\"int128\"}]}";

	CHECK(fp_schema_parse_json(dup, strlen(dup), &err) == NULL);
	CHECK(strstr(err.msg, "twice") != NULL);
	CHECK(fp_schema_parse_json(badtype, strlen(badtype), &err) == NULL);
	CHECK(strstr(err.msg, "int128") != NULL);
}

static void test_batch(void)
{
	struct fp_schema *s = fp_schema_new("t", "1");
	struct fp_batch *b;
	char big[1000];
	size_t len;
	const char *p;

	fp_schema_add(s, "i", FP_TYPE_INT64, true);
	fp_schema_add(s, "s", FP_TYPE_STRING, true);
	fp_schema_add(s, "d", FP_TYPE_DOUBLE, false);
	b = fp_batch_new(s, 4);
	CHECK(b != NULL);
	memset(big, 'x', sizeof(big));
	for (int round = 0; round < 2; round++) {
		fp_batch_clear(b);
		for (int r = 0; r < 4; r++) {
			if (r == 2)
				fp_batch_put_null(b, 0);
			else
				fp_batch_put_i64(b, 0, r * 10);
			if (r == 1)
				fp_batch_put_null(b, 1);
			else
				fp_batch_put_bytes(b, 1, big, (size_t)(r + 1) * 250);
			fp_batch_put_f64(b, 2, r + 0.5);
			fp_batch_end_row(b);
		}
		CHECK(fp_batch_full(b));
		CHECK(fp_column_is_valid(&b->cols[0], 0) && !fp_column_is_valid(&b->cols[0], 2));
		CHECK(fp_column_is_valid(&b->cols[0], 3) && b->cols[0].v.i64[3] == 30);
		CHECK(!fp_column_is_valid(&b->cols[1], 1));
		p = fp_column_bytes(&b->cols[1], 1, &len);
		CHECK_EQ_INT(len, 0);
		p = fp_column_bytes(&b->cols[1], 3, &len);
		CHECK_EQ_INT(len, 1000);
		CHECK(memcmp(p, big, len) == 0);
		CHECK(b->cols[2].validity == NULL && b->cols[2].v.f64[3] == 3.5);
	}
	fp_batch_free(b);
	fp_schema_free(s);
}

/* A string made in place (reserve, write, commit) is the same as one put
 * with fp_batch_put_bytes(), mixed with those, across growth of the
 * column's data. */
static void test_batch_reserve_bytes(void)
{
	struct fp_schema *s = fp_schema_new("t", "1");
	struct fp_batch *b;
	char want[4][120];
	size_t want_len[4];

	fp_schema_add(s, "s", FP_TYPE_STRING, true);
	b = fp_batch_new(s, 4);	/* string data starts at 4 * 32 + 64 bytes */
	CHECK(b != NULL);
	for (int r = 0; r < 4; r++) {
		want_len[r] = 20 + (size_t)r * 30;
		memset(want[r], 'a' + r, want_len[r]);
		if (r % 2 == 0) {
			char *at = fp_batch_reserve_bytes(b, 0, 120);	/* more than is written */

			CHECK(at != NULL);
			if (at == NULL)
				break;
			memcpy(at, want[r], want_len[r]);
			fp_batch_commit_bytes(b, 0, want_len[r]);
		} else {
			CHECK(fp_batch_put_bytes(b, 0, want[r], want_len[r]) == 0);
		}
		fp_batch_end_row(b);
	}
	CHECK(b->cols[0].data_cap > 4 * 32 + 64);	/* it grew on the way */
	for (int r = 0; r < 4 && r < (int)b->nrows; r++) {
		size_t len;
		const char *p = fp_column_bytes(&b->cols[0], (size_t)r, &len);

		CHECK_EQ_INT(len, want_len[r]);
		CHECK(len == want_len[r] && memcmp(p, want[r], len) == 0);
		CHECK(fp_column_is_valid(&b->cols[0], (size_t)r));
	}
	CHECK_EQ_INT(b->cols[0].offsets[4], 20 + 50 + 80 + 110);
	fp_batch_free(b);
	fp_schema_free(s);
}

int main(void)
{
	RUN(test_json_values);
	RUN(test_json_errors);
	RUN(test_netflow_schema);
	RUN(test_schema_errors);
	RUN(test_schema_aliases);
	RUN(test_batch);
	RUN(test_batch_reserve_bytes);
	return TEST_RESULT();
}
