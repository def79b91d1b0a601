#!/usr/bin/env node
// write-others.mjs OUTDIR - writes the sample table (lib/sample-table.mjs)
// with DuckDB and with arrow-rs in every codec / page version / dictionary
// setting the suite covers, as OUTDIR/<case>.parquet, and beside each the
// dump flowprep's reader must produce, OUTDIR/<case>.expected.
//
// Each expected dump is what DuckDB and arrow-rs read back from the file;
// before writing it the script checks that both readers agree with each
// other and that the values equal the source table, so a writer or reader
// bug on this side stops here (exit 1) instead of blaming flowprep.
//
// OUTDIR/cases.txt lists the case names, one a line.

import fs from 'node:fs';
import path from 'node:path';

import { compareDumps, dumpText } from './lib/canon.mjs';
import { duckdbConnection, sqlString } from './lib/duckdb-side.mjs';
import { arrow as A, parquetWasm as P } from './lib/arrow-side.mjs';
import { readBoth } from './lib/agree.mjs';
import { columnsFor, sampleTable, sourceRows } from './lib/sample-table.mjs';
import * as duck from '@duckdb/node-api';

const ROWS = 600;
const MANY_ROWS = 5000;

// ------------------------------------------------------------ DuckDB
const DUCK_SQL_TYPE = {
	int32: 'INTEGER', int64: 'BIGINT', double: 'DOUBLE', string: 'VARCHAR', binary: 'BLOB', bool: 'BOOLEAN',
	ts_us_utc: 'TIMESTAMPTZ', ts_ms: 'TIMESTAMP_MS', ts_ns: 'TIMESTAMP_NS',
};

function duckAppend(app, kind, v) {
	switch (kind) {
	case 'int32': return app.appendInteger(v);
	case 'int64': return app.appendBigInt(v);
	case 'double': return app.appendDouble(v);
	case 'string': return app.appendVarchar(v);
	case 'binary': return app.appendBlob(v);
	case 'bool': return app.appendBoolean(v);
	case 'ts_us_utc': return app.appendTimestampTZ(new duck.DuckDBTimestampTZValue(v));
	case 'ts_ms': return app.appendTimestampMilliseconds(new duck.DuckDBTimestampMillisecondsValue(v));
	case 'ts_ns': return app.appendTimestampNanoseconds(new duck.DuckDBTimestampNanosecondsValue(v));
	default: throw new Error(`no DuckDB type for ${kind}`);
	}
}

async function duckLoad(table, cols) {
	const con = await duckdbConnection();
	const q = (n) => `"${n.replace(/"/g, '""')}"`;
	await con.run(`CREATE OR REPLACE TABLE ${table} (${cols.map((c) => `${q(c.name)} ${DUCK_SQL_TYPE[c.kind]}${c.nullable ? '' : ' NOT NULL'}`).join(', ')})`);
	const app = await con.createAppender(table);
	const n = cols[0].values.length;
	for (let i = 0; i < n; i++) {
		for (const c of cols) {
			const v = c.values[i];
			if (v === null)
				app.appendNull();
			else
				duckAppend(app, c.kind, v);
		}
		app.endRow();
	}
	app.closeSync();
}

async function duckWrite(table, out, options) {
	const con = await duckdbConnection();
	await con.run(`COPY ${table} TO ${sqlString(out)} (FORMAT parquet, ${options})`);
}

// ------------------------------------------------------------ arrow-rs
function arrowData(c) {
	const n = c.values.length;
	const valid = new Uint8Array((n + 7) >> 3);
	let nullCount = 0;
	c.values.forEach((v, i) => {
		if (v === null)
			nullCount++;
		else
			valid[i >> 3] |= 1 << (i & 7);
	});
	const nullBitmap = nullCount ? valid : undefined;
	const fixed = (type, Arr, conv) => {
		const data = new Arr(n);
		c.values.forEach((v, i) => { if (v !== null) data[i] = conv(v); });
		return A.makeData({ type, length: n, nullCount, nullBitmap, data });
	};
	const varlen = (type, toBytes) => {
		const parts = c.values.map((v) => (v === null ? new Uint8Array(0) : toBytes(v)));
		const valueOffsets = new Int32Array(n + 1);
		parts.forEach((p, i) => { valueOffsets[i + 1] = valueOffsets[i] + p.length; });
		const data = new Uint8Array(valueOffsets[n]);
		parts.forEach((p, i) => data.set(p, valueOffsets[i]));
		return A.makeData({ type, length: n, nullCount, nullBitmap, valueOffsets, data });
	};
	const enc = new TextEncoder();
	switch (c.kind) {
	case 'int32': return fixed(new A.Int32(), Int32Array, Number);
	case 'int64': return fixed(new A.Int64(), BigInt64Array, BigInt);
	case 'double': return fixed(new A.Float64(), Float64Array, Number);
	case 'ts_us_utc': return fixed(new A.Timestamp(A.TimeUnit.MICROSECOND, 'UTC'), BigInt64Array, BigInt);
	case 'ts_ms': return fixed(new A.Timestamp(A.TimeUnit.MILLISECOND, null), BigInt64Array, BigInt);
	case 'ts_ns': return fixed(new A.Timestamp(A.TimeUnit.NANOSECOND, null), BigInt64Array, BigInt);
	case 'ts_ns_utc': return fixed(new A.Timestamp(A.TimeUnit.NANOSECOND, 'UTC'), BigInt64Array, BigInt);
	case 'string': return varlen(new A.Utf8(), (v) => enc.encode(v));
	case 'binary': return varlen(new A.Binary(), (v) => v);
	case 'bool': {
		const bits = new Uint8Array((n + 7) >> 3);
		c.values.forEach((v, i) => { if (v) bits[i >> 3] |= 1 << (i & 7); });
		return A.makeData({ type: new A.Bool(), length: n, nullCount, nullBitmap, data: bits });
	}
	default: throw new Error(`no Arrow type for ${c.kind}`);
	}
}

/** The table as an Arrow IPC stream (parquet-wasm's input). */
function arrowIpc(cols) {
	const data = cols.map(arrowData);
	const schema = new A.Schema(cols.map((c, j) => new A.Field(c.name, data[j].type, c.nullable)));
	const n = cols[0].values.length;
	const batch = new A.RecordBatch(schema, A.makeData({ type: new A.Struct(schema.fields), length: n, nullCount: 0, children: data }));
	return A.tableToIPC(new A.Table(schema, [batch]), 'stream');
}

function arrowWrite(ipc, out, o) {
	let b = new P.WriterPropertiesBuilder()
		.setCompression(P.Compression[o.codec])
		.setWriterVersion(o.pageVersion === 2 ? P.WriterVersion.V2 : P.WriterVersion.V1)
		.setDictionaryEnabled(o.dictionary);
	if (o.rowGroupRows)
		b = b.setMaxRowGroupSize(o.rowGroupRows);
	if (o.pageBytes)
		b = b.setDataPageSizeLimit(o.pageBytes).setWriteBatchSize(64);
	for (const [column, encoding] of Object.entries(o.encodings ?? {}))
		b = b.setColumnEncoding(column, P.Encoding[encoding]);
	fs.writeFileSync(out, P.writeParquet(P.Table.fromIPCStream(ipc), b.build()));
}

// ------------------------------------------------------------ cases
const DUCKDB_CASES = [
	{ name: 'duckdb-zstd', options: 'COMPRESSION zstd' },
	{ name: 'duckdb-snappy', options: 'COMPRESSION snappy' },
	{ name: 'duckdb-gzip', options: 'COMPRESSION gzip' },
	{ name: 'duckdb-uncompressed', options: 'COMPRESSION uncompressed' },
	{ name: 'duckdb-v2-zstd', options: 'COMPRESSION zstd, PARQUET_VERSION V2' },
	{ name: 'duckdb-v2-snappy-rowgroups', options: 'COMPRESSION snappy, PARQUET_VERSION V2, ROW_GROUP_SIZE 2048', many: true },
];

const ARROW_CASES = [];
for (const codec of ['ZSTD', 'SNAPPY', 'GZIP', 'LZ4_RAW', 'UNCOMPRESSED']) {
	for (const pageVersion of [1, 2])
		ARROW_CASES.push({ codec, pageVersion, dictionary: true });
}
ARROW_CASES.push({ codec: 'ZSTD', pageVersion: 1, dictionary: false });
ARROW_CASES.push({ codec: 'SNAPPY', pageVersion: 2, dictionary: false });
ARROW_CASES.push({ codec: 'UNCOMPRESSED', pageVersion: 1, dictionary: false });
ARROW_CASES.push({ codec: 'ZSTD', pageVersion: 2, dictionary: true, rowGroupRows: 700, pageBytes: 512, many: true, tag: 'small-pages' });
// the non-dictionary encodings, column by column (only where legal)
const DELTA = { id: 'DELTA_BINARY_PACKED', i32: 'DELTA_BINARY_PACKED', i64: 'DELTA_BINARY_PACKED', f64: 'BYTE_STREAM_SPLIT',
	str: 'DELTA_BYTE_ARRAY', proto: 'DELTA_LENGTH_BYTE_ARRAY', payload: 'DELTA_BYTE_ARRAY', flag: 'RLE',
	ts_us: 'DELTA_BINARY_PACKED', ts_ms: 'DELTA_BINARY_PACKED', ts_ns: 'DELTA_BINARY_PACKED', ts_ns_utc: 'DELTA_BINARY_PACKED' };
ARROW_CASES.push({ codec: 'ZSTD', pageVersion: 2, dictionary: false, encodings: DELTA, tag: 'delta' });
ARROW_CASES.push({ codec: 'SNAPPY', pageVersion: 1, dictionary: false, encodings: { ...DELTA, str: 'DELTA_LENGTH_BYTE_ARRAY', proto: 'DELTA_BYTE_ARRAY', flag: 'PLAIN' },
	rowGroupRows: 1000, pageBytes: 1024, many: true, tag: 'delta-pages' });
for (const c of ARROW_CASES)
	c.name = `arrow-rs-${c.codec.toLowerCase()}-v${c.pageVersion}${c.dictionary ? '' : '-nodict'}${c.tag ? `-${c.tag}` : ''}`;

/** Reads `file` back with both readers; returns the expected dump text. */
async function expectedDump(file, cols) {
	const r = await readBoth(file, { allowArrowFailure: true });
	for (const n of r.notes)
		console.error(`write-others.mjs: note: ${path.basename(file)}: ${n}`);
	if (!r.dump)
		throw new Error(`${path.basename(file)}: ${r.problems.join('; ')}`);
	// whatever the readers agree on must be the table that was written
	const problems = compareDumps(r.dump, { columns: r.dump.columns, rows: sourceRows(cols) }, 'read back', 'source');
	if (problems.length)
		throw new Error(`${path.basename(file)}: ${problems.join('; ')}`);
	return dumpText(r.dump);
}

async function main() {
	const outDir = process.argv[2];
	if (!outDir || process.argv.length > 3) {
		console.error('usage: write-others.mjs OUTDIR');
		process.exit(2);
	}
	fs.mkdirSync(outDir, { recursive: true });
	const full = { [ROWS]: sampleTable(ROWS), [MANY_ROWS]: sampleTable(MANY_ROWS) };
	const names = [];
	const finish = async (name, file, cols) => {
		fs.writeFileSync(path.join(outDir, `${name}.expected`), await expectedDump(file, cols));
		names.push(name);
	};

	const duckCols = (rows) => columnsFor(full[rows], 'duckdb');
	await duckLoad('sample', duckCols(ROWS));
	await duckLoad('sample_many', duckCols(MANY_ROWS));
	for (const c of DUCKDB_CASES) {
		const file = path.join(outDir, `${c.name}.parquet`);
		await duckWrite(c.many ? 'sample_many' : 'sample', file, c.options);
		await finish(c.name, file, duckCols(c.many ? MANY_ROWS : ROWS));
	}

	const arrowCols = (rows) => columnsFor(full[rows], 'arrow-rs');
	const ipc = { [ROWS]: arrowIpc(arrowCols(ROWS)), [MANY_ROWS]: arrowIpc(arrowCols(MANY_ROWS)) };
	for (const c of ARROW_CASES) {
		const file = path.join(outDir, `${c.name}.parquet`);
		arrowWrite(ipc[c.many ? MANY_ROWS : ROWS], file, c);
		await finish(c.name, file, arrowCols(c.many ? MANY_ROWS : ROWS));
	}
	fs.writeFileSync(path.join(outDir, 'cases.txt'), `${names.join('\n')}\n`);
}

main().catch((e) => {
	console.error(`write-others.mjs: ${e?.message ?? e}`);
	process.exit(1);
});
