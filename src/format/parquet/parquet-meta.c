/*
 * parquet-meta.c - decoding FileMetaData and PageHeader (parquet.thrift)
 * and flattening the schema tree into leaf columns.
 *
 * Each parse_* function walks one Thrift struct, picks the fields the
 * reader needs by id, skips the rest and checks the required ones are
 * present. Lists are allocated only after thrift-decode has bounded their
 * size by the bytes left, so a corrupt count cannot make us allocate more
 * than a small multiple of the footer size.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format/parquet/parquet-format.h"
#include "format/parquet/parquet-meta.h"
#include "format/parquet/thrift-decode.h"

#define SCHEMA_MAX_DEPTH 64

/* Iterates over the fields of a struct, skipping the unknown ones. */
#define FOR_EACH_FIELD(t, type, id, rc)                                              \
	for (int16_t last_ = 0; ((rc) = tcd_field((t), &last_, &(type), &(id))) > 0;)

static int missing(struct fp_error *err, const char *strct, const char *field)
{
	return fp_error_set(err, "%s lacks its required field %s", strct, field);
}

static int read_i32(struct tcd *t, int type, int32_t min, int32_t *out, const char *what)
{
	int64_t v;

	if (tcd_int(t, type, min, INT32_MAX, &v, what) < 0)
		return -1;
	*out = (int32_t)v;
	return 0;
}

static int read_i64(struct tcd *t, int type, int64_t min, int64_t *out, const char *what)
{
	return tcd_int(t, type, min, INT64_MAX, out, what);
}

static int read_enum(struct tcd *t, int type, int *out, const char *what)
{
	int32_t v;

	if (read_i32(t, type, INT32_MIN, &v, what) < 0)
		return -1;
	*out = v;
	return 0;
}

/* ------------------------------------------------------------ schema */

static int parse_time_unit(struct tcd *t, int *unit)
{
	int16_t id;
	int type, rc;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (id >= PQ_TU_MILLIS && id <= PQ_TU_NANOS && type == TC_STRUCT)
			*unit = id;
		if (tcd_skip(t, type, false) < 0)
			return -1;
	}
	tcd_struct_end(t);
	return rc;
}

/* TimestampType / TimeType: 1 isAdjustedToUTC, 2 unit. */
static int parse_time_type(struct tcd *t, struct pqm_logical *lt)
{
	int16_t id;
	int type, rc;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (id == 1 && (type == TC_BOOL_TRUE || type == TC_BOOL_FALSE))
			rc = tcd_bool(t, type, false, &lt->utc, "isAdjustedToUTC");
		else if (id == 2 && type == TC_STRUCT)
			rc = parse_time_unit(t, &lt->unit);
		else
			rc = tcd_skip(t, type, false);
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	return rc;
}

/* IntType: 1 bitWidth (i8), 2 isSigned. DecimalType: 1 scale, 2 precision. */
static int parse_int_or_decimal(struct tcd *t, struct pqm_logical *lt, bool decimal)
{
	int16_t id;
	int type, rc;
	int64_t v;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (id == 1 && type != TC_BOOL_TRUE && type != TC_BOOL_FALSE) {
			rc = tcd_int(t, type, 0, 1000, &v, decimal ? "DecimalType.scale" : "IntType.bitWidth");
			if (decimal)
				lt->scale = (int32_t)v;
			else
				lt->bit_width = (int)v;
		} else if (id == 2 && decimal) {
			rc = tcd_int(t, type, 0, 1000, &v, "DecimalType.precision");
			lt->precision = (int32_t)v;
		} else if (id == 2 && (type == TC_BOOL_TRUE || type == TC_BOOL_FALSE)) {
			rc = tcd_bool(t, type, false, &lt->is_signed, "IntType.isSigned");
		} else {
			rc = tcd_skip(t, type, false);
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	return rc;
}

/* A union: the one field set names the annotation. Members this reader
 * does not know are skipped and leave the column unannotated. */
static int parse_logical(struct tcd *t, struct pqm_logical *lt)
{
	int16_t id;
	int type, rc;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (type != TC_STRUCT) {
			rc = tcd_skip(t, type, false);
		} else if (id == PQ_LT_TIMESTAMP || id == PQ_LT_TIME) {
			lt->id = id;
			rc = parse_time_type(t, lt);
		} else if (id == PQ_LT_INTEGER || id == PQ_LT_DECIMAL) {
			lt->id = id;
			rc = parse_int_or_decimal(t, lt, id == PQ_LT_DECIMAL);
		} else {
			if (id >= PQ_LT_STRING && id <= PQ_LT_FLOAT16 && id != 9)
				lt->id = id;
			rc = tcd_skip(t, type, false);
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	return rc;
}

static int parse_element(struct tcd *t, struct pqm_element *e)
{
	int16_t id;
	int type, rc;
	bool have_name = false;

	e->type = -1;
	e->repetition = -1;
	e->num_children = -1;
	e->converted = -1;
	e->type_length = -1;
	e->scale = e->precision = -1;
	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		switch (id) {
		case 1: rc = read_enum(t, type, &e->type, "SchemaElement.type"); break;
		case 2: rc = read_i32(t, type, INT32_MIN, &e->type_length, "SchemaElement.type_length"); break;
		case 3: rc = read_enum(t, type, &e->repetition, "SchemaElement.repetition_type"); break;
		case 4: rc = tcd_string(t, type, &e->name, "SchemaElement.name"); have_name = rc == 0; break;
		case 5: rc = read_i32(t, type, 0, &e->num_children, "SchemaElement.num_children"); break;
		case 6: rc = read_enum(t, type, &e->converted, "SchemaElement.converted_type"); break;
		case 7: rc = read_i32(t, type, INT32_MIN, &e->scale, "SchemaElement.scale"); break;
		case 8: rc = read_i32(t, type, INT32_MIN, &e->precision, "SchemaElement.precision"); break;
		case 10:
			rc = type == TC_STRUCT ? parse_logical(t, &e->logical) : tcd_skip(t, type, false);
			break;
		default: rc = tcd_skip(t, type, false); break;
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	if (!have_name)
		return missing(t->err, "SchemaElement", "name");
	if (e->type != -1 && (e->type < PQ_BOOLEAN || e->type > PQ_FIXED_LEN_BYTE_ARRAY))
		return fp_error_set(t->err, "schema element '%s' has invalid physical type %d", e->name, e->type);
	if (e->repetition != -1 && (e->repetition < PQ_REQUIRED || e->repetition > PQ_REPEATED))
		return fp_error_set(t->err, "schema element '%s' has invalid repetition %d", e->name,
				    e->repetition);
	if (e->type == PQ_FIXED_LEN_BYTE_ARRAY && (e->type_length <= 0 || e->type_length > (1 << 24)))
		return fp_error_set(t->err, "FIXED_LEN_BYTE_ARRAY column '%s' has invalid type_length %d",
				    e->name, e->type_length);
	return 0;
}

/* ------------------------------------------------------------ row groups */

static int parse_path(struct tcd *t, int type, char **out)
{
	int elem;
	size_t n, used = 0, cap = 0;
	char *s = NULL;

	if (tcd_list(t, type, &elem, &n, "ColumnMetaData.path_in_schema") < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p;
		size_t len;
		char *grown;

		if (tcd_binary(t, elem, &p, &len, "ColumnMetaData.path_in_schema") < 0)
			goto fail;
		if (used + len + 2 > cap) {
			cap = (used + len + 2) * 2;
			grown = realloc(s, cap);
			if (grown == NULL) {
				fp_error_set(t->err, "out of memory reading a column path");
				goto fail;
			}
			s = grown;
		}
		if (i > 0)
			s[used++] = '.';
		memcpy(s + used, p, len);
		used += len;
		s[used] = '\0';
	}
	free(*out);
	*out = s != NULL ? s : strdup("");
	return *out != NULL ? 0 : fp_error_set(t->err, "out of memory reading a column path");
fail:
	free(s);
	return -1;
}

enum { CM_TYPE = 1, CM_PATH = 2, CM_CODEC = 4, CM_NUM_VALUES = 8, CM_SIZE = 16, CM_OFFSET = 32 };

static int parse_column_meta(struct tcd *t, struct pqm_column_meta *m)
{
	int16_t id;
	int type, rc;
	unsigned seen = 0;

	m->dictionary_page_offset = -1;
	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		switch (id) {
		case 1: rc = read_enum(t, type, &m->type, "ColumnMetaData.type"); seen |= CM_TYPE; break;
		case 3: rc = parse_path(t, type, &m->path); seen |= CM_PATH; break;
		case 4: rc = read_enum(t, type, &m->codec, "ColumnMetaData.codec"); seen |= CM_CODEC; break;
		case 5:
			rc = read_i64(t, type, 0, &m->num_values, "ColumnMetaData.num_values");
			seen |= CM_NUM_VALUES;
			break;
		case 6:
			rc = read_i64(t, type, 0, &m->total_uncompressed_size,
				      "ColumnMetaData.total_uncompressed_size");
			break;
		case 7:
			rc = read_i64(t, type, 0, &m->total_compressed_size, "ColumnMetaData.total_compressed_size");
			seen |= CM_SIZE;
			break;
		case 9:
			rc = read_i64(t, type, 0, &m->data_page_offset, "ColumnMetaData.data_page_offset");
			seen |= CM_OFFSET;
			break;
		case 11:
			rc = read_i64(t, type, INT64_MIN, &m->dictionary_page_offset,
				      "ColumnMetaData.dictionary_page_offset");
			break;
		default: rc = tcd_skip(t, type, false); break;
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	if (!(seen & CM_TYPE))
		return missing(t->err, "ColumnMetaData", "type");
	if (!(seen & CM_PATH))
		return missing(t->err, "ColumnMetaData", "path_in_schema");
	if (!(seen & CM_CODEC))
		return missing(t->err, "ColumnMetaData", "codec");
	if (!(seen & CM_NUM_VALUES))
		return missing(t->err, "ColumnMetaData", "num_values");
	if (!(seen & CM_SIZE))
		return missing(t->err, "ColumnMetaData", "total_compressed_size");
	if (!(seen & CM_OFFSET))
		return missing(t->err, "ColumnMetaData", "data_page_offset");
	return 0;
}

static int parse_chunk(struct tcd *t, struct pqm_chunk *c)
{
	int16_t id;
	int type, rc;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (id == 1 && type == TC_BINARY) {
			c->external = true;
			rc = tcd_skip(t, type, false);
		} else if (id == 3 && type == TC_STRUCT) {
			c->has_meta = true;
			rc = parse_column_meta(t, &c->meta);
		} else {
			if (id == 8 || id == 9)
				c->encrypted = true;
			rc = tcd_skip(t, type, false);
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	return rc;
}

static int parse_row_group(struct tcd *t, struct pqm_row_group *g)
{
	int16_t id;
	int type, rc, elem;
	bool have_columns = false, have_rows = false;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (id == 1 && !have_columns) {
			size_t n;

			if (tcd_list(t, type, &elem, &n, "RowGroup.columns") < 0)
				return -1;
			if (n > 0 && elem != TC_STRUCT)
				return fp_error_set(t->err, "RowGroup.columns is not a list of structs");
			g->columns = calloc(n ? n : 1, sizeof(*g->columns));
			if (g->columns == NULL)
				return fp_error_set(t->err, "out of memory reading row groups");
			g->ncolumns = n;
			for (size_t i = 0; i < n; i++) {
				if (parse_chunk(t, &g->columns[i]) < 0)
					return -1;
			}
			have_columns = true;
		} else if (id == 3) {
			rc = read_i64(t, type, 0, &g->num_rows, "RowGroup.num_rows");
			have_rows = true;
		} else {
			rc = tcd_skip(t, type, false);
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	if (!have_columns)
		return missing(t->err, "RowGroup", "columns");
	if (!have_rows)
		return missing(t->err, "RowGroup", "num_rows");
	return 0;
}

/* ------------------------------------------------------------ file */

static int parse_key_value(struct tcd *t, struct pqm_key_value *kv)
{
	int16_t id;
	int type, rc;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (id == 1)
			rc = tcd_string(t, type, &kv->key, "KeyValue.key");
		else if (id == 2)
			rc = tcd_string(t, type, &kv->value, "KeyValue.value");
		else
			rc = tcd_skip(t, type, false);
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	return rc;
}

/* Reads a list<struct> into a calloc'ed array of `size`-byte items. */
static int parse_struct_list(struct tcd *t, int type, size_t size, void **items, size_t *n, const char *what,
			     int (*parse)(struct tcd *, void *))
{
	int elem;
	size_t count;
	char *arr;

	if (*items != NULL)
		return fp_error_set(t->err, "%s appears twice", what);
	if (tcd_list(t, type, &elem, &count, what) < 0)
		return -1;
	if (count > 0 && elem != TC_STRUCT)
		return fp_error_set(t->err, "%s is not a list of structs", what);
	arr = calloc(count ? count : 1, size);
	if (arr == NULL)
		return fp_error_set(t->err, "out of memory reading %s", what);
	*items = arr;
	*n = count;
	for (size_t i = 0; i < count; i++) {
		if (parse(t, arr + i * size) < 0) {
			*n = i + 1;	/* what was allocated, for freeing */
			return -1;
		}
	}
	return 0;
}

static int parse_element_v(struct tcd *t, void *p) { return parse_element(t, p); }
static int parse_row_group_v(struct tcd *t, void *p) { return parse_row_group(t, p); }
static int parse_key_value_v(struct tcd *t, void *p) { return parse_key_value(t, p); }

static int parse_file(struct tcd *t, struct pqm_file *f)
{
	int16_t id;
	int type, rc;
	bool have_rows = false;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		switch (id) {
		case 1: rc = read_i32(t, type, INT32_MIN, &f->version, "FileMetaData.version"); break;
		case 2:
			rc = parse_struct_list(t, type, sizeof(*f->elements), (void **)&f->elements, &f->nelements,
					       "FileMetaData.schema", parse_element_v);
			break;
		case 3:
			rc = read_i64(t, type, 0, &f->num_rows, "FileMetaData.num_rows");
			have_rows = true;
			break;
		case 4:
			rc = parse_struct_list(t, type, sizeof(*f->row_groups), (void **)&f->row_groups,
					       &f->nrow_groups, "FileMetaData.row_groups", parse_row_group_v);
			break;
		case 5:
			rc = parse_struct_list(t, type, sizeof(*f->kv), (void **)&f->kv, &f->nkv,
					       "FileMetaData.key_value_metadata", parse_key_value_v);
			break;
		case 6: rc = tcd_string(t, type, &f->created_by, "FileMetaData.created_by"); break;
		default: rc = tcd_skip(t, type, false); break;
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	if (f->elements == NULL)
		return missing(t->err, "FileMetaData", "schema");
	if (!have_rows)
		return missing(t->err, "FileMetaData", "num_rows");
	if (f->row_groups == NULL)
		return missing(t->err, "FileMetaData", "row_groups");
	return 0;
}

/* ------------------------------------------------------------ flattening */

struct flatten {
	struct pqm_file *f;
	size_t next;		/* next schema element to visit */
	struct fp_error *err;
};

static char *join_path(const char *prefix, const char *name)
{
	size_t a = prefix ? strlen(prefix) : 0, b = strlen(name);
	char *s = malloc(a + b + 2);

	if (s == NULL)
		return NULL;
	if (prefix) {
		memcpy(s, prefix, a);
		s[a++] = '.';
	}
	memcpy(s + a, name, b + 1);
	return s;
}

static int add_leaf(struct flatten *fl, const struct pqm_element *e, char *name, int def, int rep, int depth)
{
	struct pqm_leaf *leaf = &fl->f->leaves[fl->f->nleaves++];

	leaf->name = name;
	leaf->el = e;
	leaf->max_def = def;
	leaf->max_rep = rep;
	if (rep > 0)
		leaf->unsupported = "repeated (list or map) column: flowprep reads flat columns only";
	else if (depth > 1)
		leaf->unsupported = "column nested in a group: flowprep reads flat columns only";
	return 0;
}

/* Visits the `n` children starting at fl->next, below `prefix`. */
static int visit(struct flatten *fl, int32_t n, const char *prefix, int def, int rep, int depth)
{
	if (depth > SCHEMA_MAX_DEPTH)
		return fp_error_set(fl->err, "schema nested deeper than %d levels", SCHEMA_MAX_DEPTH);
	for (int32_t i = 0; i < n; i++) {
		const struct pqm_element *e;
		int d = def, r = rep;
		char *path;
		int rc;

		if (fl->next >= fl->f->nelements)
			return fp_error_set(fl->err, "schema ends inside group '%s' (%zu elements)",
					    prefix ? prefix : "(root)", fl->f->nelements);
		e = &fl->f->elements[fl->next++];
		if (e->repetition == PQ_OPTIONAL)
			d++;
		else if (e->repetition == PQ_REPEATED)
			d++, r++;
		path = join_path(prefix, e->name);
		if (path == NULL)
			return fp_error_set(fl->err, "out of memory flattening the schema");
		if (e->num_children > 0) {
			rc = visit(fl, e->num_children, path, d, r, depth + 1);
			free(path);
		} else if (e->type >= 0) {
			rc = add_leaf(fl, e, path, d, r, depth);
		} else if (e->num_children == 0) {
			free(path);	/* an empty group: no columns */
			rc = 0;
		} else {
			rc = fp_error_set(fl->err, "schema element '%s' has neither a type nor children", path);
			free(path);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int flatten_schema(struct pqm_file *f, struct fp_error *err)
{
	struct flatten fl = { f, 1, err };
	const struct pqm_element *root;

	if (f->nelements == 0)
		return fp_error_set(err, "the schema is empty (no root element)");
	root = &f->elements[0];
	f->leaves = calloc(f->nelements, sizeof(*f->leaves));
	if (f->leaves == NULL)
		return fp_error_set(err, "out of memory flattening the schema");
	if (root->num_children < 0 && f->nelements > 1)
		return fp_error_set(err, "the schema root has no num_children");
	if (visit(&fl, root->num_children > 0 ? root->num_children : 0, NULL, 0, 0, 1) < 0)
		return -1;
	if (fl.next != f->nelements)
		return fp_error_set(err, "schema has %zu elements but its tree uses only %zu", f->nelements,
				    fl.next);
	return 0;
}

struct pqm_file *pqm_file_parse(const void *buf, size_t len, struct fp_error *err)
{
	struct pqm_file *f = calloc(1, sizeof(*f));
	struct tcd t;

	if (f == NULL) {
		fp_error_set(err, "out of memory reading the footer");
		return NULL;
	}
	tcd_init(&t, buf, len, err);
	if (parse_file(&t, f) < 0 || flatten_schema(f, err) < 0) {
		pqm_file_free(f);
		return NULL;
	}
	if (f->created_by == NULL && (f->created_by = strdup("")) == NULL) {
		fp_error_set(err, "out of memory reading the footer");
		pqm_file_free(f);
		return NULL;
	}
	return f;
}

void pqm_file_free(struct pqm_file *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nelements; i++)
		free(f->elements[i].name);
	free(f->elements);
	for (size_t i = 0; i < f->nrow_groups; i++) {
		struct pqm_row_group *g = &f->row_groups[i];

		for (size_t j = 0; g->columns != NULL && j < g->ncolumns; j++)
			free(g->columns[j].meta.path);
		free(g->columns);
	}
	free(f->row_groups);
	for (size_t i = 0; i < f->nkv; i++) {
		free(f->kv[i].key);
		free(f->kv[i].value);
	}
	free(f->kv);
	for (size_t i = 0; i < f->nleaves; i++)
		free(f->leaves[i].name);
	free(f->leaves);
	free(f->created_by);
	free(f);
}

/* ------------------------------------------------------------ page headers */

static int parse_data_header(struct tcd *t, struct pqm_page_header *h)
{
	int16_t id;
	int type, rc;
	bool have_n = false, have_enc = false;

	h->def_encoding = h->rep_encoding = PQ_ENC_RLE;
	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		switch (id) {
		case 1: rc = read_i32(t, type, 0, &h->num_values, "DataPageHeader.num_values"); have_n = true; break;
		case 2: rc = read_enum(t, type, &h->encoding, "DataPageHeader.encoding"); have_enc = true; break;
		case 3: rc = read_enum(t, type, &h->def_encoding, "DataPageHeader.definition_level_encoding"); break;
		case 4: rc = read_enum(t, type, &h->rep_encoding, "DataPageHeader.repetition_level_encoding"); break;
		default: rc = tcd_skip(t, type, false); break;
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	if (!have_n)
		return missing(t->err, "DataPageHeader", "num_values");
	return have_enc ? 0 : missing(t->err, "DataPageHeader", "encoding");
}

static int parse_data_header_v2(struct tcd *t, struct pqm_page_header *h)
{
	int16_t id;
	int type, rc;
	unsigned seen = 0;

	h->is_compressed = true;
	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		switch (id) {
		case 1: rc = read_i32(t, type, 0, &h->num_values, "DataPageHeaderV2.num_values"); break;
		case 2: rc = read_i32(t, type, 0, &h->num_nulls, "DataPageHeaderV2.num_nulls"); break;
		case 3: rc = read_i32(t, type, 0, &h->num_rows, "DataPageHeaderV2.num_rows"); break;
		case 4: rc = read_enum(t, type, &h->encoding, "DataPageHeaderV2.encoding"); break;
		case 5:
			rc = read_i32(t, type, 0, &h->def_length, "DataPageHeaderV2.definition_levels_byte_length");
			break;
		case 6:
			rc = read_i32(t, type, 0, &h->rep_length, "DataPageHeaderV2.repetition_levels_byte_length");
			break;
		case 7: rc = tcd_bool(t, type, false, &h->is_compressed, "DataPageHeaderV2.is_compressed"); break;
		default: rc = tcd_skip(t, type, false); break;
		}
		if (rc < 0)
			return -1;
		if (id >= 1 && id <= 6)
			seen |= 1u << id;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	if (seen != 0x7e)
		return missing(t->err, "DataPageHeaderV2",
			       "num_values, num_nulls, num_rows, encoding or a levels length");
	return 0;
}

static int parse_dict_header(struct tcd *t, struct pqm_page_header *h)
{
	int16_t id;
	int type, rc;
	bool have_n = false;

	h->encoding = PQ_ENC_PLAIN;
	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		if (id == 1) {
			rc = read_i32(t, type, 0, &h->num_values, "DictionaryPageHeader.num_values");
			have_n = true;
		} else if (id == 2) {
			rc = read_enum(t, type, &h->encoding, "DictionaryPageHeader.encoding");
		} else {
			rc = tcd_skip(t, type, false);
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	return have_n ? 0 : missing(t->err, "DictionaryPageHeader", "num_values");
}

enum { PH_TYPE = 1, PH_USIZE = 2, PH_CSIZE = 4, PH_DATA = 8, PH_DICT = 16, PH_V2 = 32 };

static int parse_page_header(struct tcd *t, struct pqm_page_header *h)
{
	int16_t id;
	int type, rc;
	int64_t crc;
	unsigned seen = 0;

	if (tcd_struct_begin(t) < 0)
		return -1;
	FOR_EACH_FIELD(t, type, id, rc) {
		switch (id) {
		case 1: rc = read_enum(t, type, &h->type, "PageHeader.type"); seen |= PH_TYPE; break;
		case 2:
			rc = read_i32(t, type, 0, &h->uncompressed_size, "PageHeader.uncompressed_page_size");
			seen |= PH_USIZE;
			break;
		case 3:
			rc = read_i32(t, type, 0, &h->compressed_size, "PageHeader.compressed_page_size");
			seen |= PH_CSIZE;
			break;
		case 4:
			rc = tcd_int(t, type, INT32_MIN, INT32_MAX, &crc, "PageHeader.crc");
			h->crc = (uint32_t)crc;
			h->has_crc = true;
			break;
		case 5: rc = parse_data_header(t, h); seen |= PH_DATA; break;
		case 7: rc = parse_dict_header(t, h); seen |= PH_DICT; break;
		case 8: rc = parse_data_header_v2(t, h); seen |= PH_V2; break;
		default: rc = tcd_skip(t, type, false); break;
		}
		if (rc < 0)
			return -1;
	}
	tcd_struct_end(t);
	if (rc < 0)
		return -1;
	if ((seen & (PH_TYPE | PH_USIZE | PH_CSIZE)) != (PH_TYPE | PH_USIZE | PH_CSIZE))
		return missing(t->err, "PageHeader", "type, uncompressed_page_size or compressed_page_size");
	if (h->type == PQ_PAGE_DATA && !(seen & PH_DATA))
		return missing(t->err, "PageHeader of a DATA_PAGE", "data_page_header");
	if (h->type == PQ_PAGE_DATA_V2 && !(seen & PH_V2))
		return missing(t->err, "PageHeader of a DATA_PAGE_V2", "data_page_header_v2");
	if (h->type == PQ_PAGE_DICTIONARY && !(seen & PH_DICT))
		return missing(t->err, "PageHeader of a DICTIONARY_PAGE", "dictionary_page_header");
	return 0;
}

int pqm_page_header_parse(const void *buf, size_t len, struct pqm_page_header *h, size_t *used,
			  bool *truncated, struct fp_error *err)
{
	struct tcd t;
	int rc;

	memset(h, 0, sizeof(*h));
	tcd_init(&t, buf, len, err);
	rc = parse_page_header(&t, h);
	*truncated = t.truncated;
	*used = tcd_offset(&t);
	return rc;
}

/* ------------------------------------------------------------ names */

const char *pqm_type_name(int type)
{
	static const char *const names[] = { "BOOLEAN", "INT32", "INT64", "INT96",
					     "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY" };

	return type >= 0 && type < 8 ? names[type] : "UNKNOWN";
}

const char *pqm_encoding_name(int encoding)
{
	static const char *const names[] = { "PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE",
					     "BIT_PACKED", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY",
					     "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT", "ALP" };

	return encoding >= 0 && encoding < 11 ? names[encoding] : "UNKNOWN";
}

const char *pqm_codec_name(int codec)
{
	static const char *const names[] = { "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
					     "BROTLI", "LZ4", "ZSTD", "LZ4_RAW" };

	return codec >= 0 && codec < 8 ? names[codec] : "UNKNOWN";
}
