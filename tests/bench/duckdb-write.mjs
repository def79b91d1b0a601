#!/usr/bin/env node
// duckdb-write.mjs - DuckDB's side of the Parquet write benchmark: how fast
// DuckDB writes the same flow table flowprep's writer does
// (tests/bench/parquet-write-bench.c), and how large its files are.
//
//   node duckdb-write.mjs [--runs N] [--codecs zstd,snappy] [--out PREFIX] FLOWS.csv
//
// The CSV (from `flowprep pcap ... flows.csv`) is loaded into an in-memory
// table with the canonical column types, taken from
// schemas/netflow/v1/schema.json (timestamp_us -> TIMESTAMPTZ from epoch
// microseconds, int32 -> INTEGER, int64 -> BIGINT, float64 -> DOUBLE,
// string -> VARCHAR). Then, with DuckDB's default thread count and with
// `SET threads = 1`, after one untimed warm-up write, for each codec it times
// `COPY t TO 'PREFIX-duckdb-tN-CODEC.parquet' (FORMAT parquet, COMPRESSION codec)`
// RUNS times and prints the best, one key=value line per case, in the same
// layout as parquet-write-bench (MB = 10^6 bytes).
//
// @duckdb/node-api is taken from tests/interop/node_modules (installed by
// `packaging/install-deps-debian.sh --test`, or `npm ci` in tests/interop);
// FLOWPREP_INTEROP_DIR overrides that folder. Exits 77 when it is missing.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcdir = path.resolve(here, '..', '..');
const interopDir = process.env.FLOWPREP_INTEROP_DIR || path.join(srcdir, 'tests', 'interop');

const SQL_TYPE = {
	timestamp_us: 'TIMESTAMPTZ', int32: 'INTEGER', int64: 'BIGINT', float64: 'DOUBLE', double: 'DOUBLE',
	string: 'VARCHAR', bool: 'BOOLEAN',
};

function usage(code) {
	const out = code ? process.stderr : process.stdout;
	out.write('usage: duckdb-write.mjs [--runs N] [--codecs zstd,snappy] [--out PREFIX] FLOWS.csv\n');
	process.exit(code);
}

function parseArgs(argv) {
	const o = { runs: 3, codecs: ['zstd', 'snappy'], out: 'dwb', csv: null };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--runs') o.runs = Number(argv[++i]);
		else if (a === '--codecs') o.codecs = String(argv[++i]).split(',');
		else if (a === '--out') o.out = argv[++i];
		else if (a === '-h' || a === '--help') usage(0);
		else if (a.startsWith('-')) usage(2);
		else if (o.csv === null) o.csv = a;
		else usage(2);
	}
	if (!o.csv || !Number.isInteger(o.runs) || o.runs < 1) usage(2);
	return o;
}

function sqlString(s) {
	return "'" + String(s).replaceAll("'", "''") + "'";
}

function sqlIdent(s) {
	return '"' + String(s).replaceAll('"', '""') + '"';
}

// SELECT list turning the CSV's auto-detected columns into the canonical types.
function canonicalSelect(schemaPath) {
	const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
	return schema.fields.map((f) => {
		const type = SQL_TYPE[f.type];
		if (!type) throw new Error(`${schemaPath}: field ${f.name}: no DuckDB type for ${f.type}`);
		const col = sqlIdent(f.name);
		if (f.type === 'timestamp_us')
			return `make_timestamp(${col}::BIGINT)::TIMESTAMPTZ AS ${col}`;
		return `${col}::${type} AS ${col}`;
	}).join(', ');
}

async function scalar(conn, sql) {
	const r = await conn.runAndReadAll(sql);
	return r.getRows()[0][0];
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	let duck;
	try {
		const require = createRequire(path.join(interopDir, 'package.json'));
		duck = require('@duckdb/node-api');
	} catch (e) {
		process.stderr.write(`duckdb-write: @duckdb/node-api not found under ${interopDir}/node_modules ` +
			`(run packaging/install-deps-debian.sh --test, or npm ci there): ${e.message}\n`);
		process.exit(77);
	}
	const csvBytes = fs.statSync(o.csv).size;
	const instance = await duck.DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	// TIMESTAMP -> TIMESTAMPTZ casts in the session time zone: make it UTC.
	try {
		await conn.run("SET TimeZone = 'UTC'");
	} catch {
		// without ICU, TIMESTAMPTZ casts are UTC already
	}
	const select = canonicalSelect(path.join(srcdir, 'schemas', 'netflow', 'v1', 'schema.json'));
	let t0 = performance.now();
	await conn.run(`CREATE TABLE t AS SELECT ${select} FROM read_csv(${sqlString(o.csv)}, header = true)`);
	const rows = Number(await scalar(conn, 'SELECT count(*) FROM t'));
	const version = await scalar(conn, 'SELECT version()');
	const defaultThreads = Number(await scalar(conn, "SELECT current_setting('threads')"));
	console.log(`loaded=${o.csv} rows=${rows} csv_bytes=${csvBytes} load_seconds=${((performance.now() - t0) / 1000).toFixed(3)} duckdb=${version} default_threads=${defaultThreads}`);

	// One untimed write first, so no timed case pays the first-use costs
	// (allocations, code paging in); parquet-write-bench does the same.
	await conn.run(`COPY t TO ${sqlString(o.out + '-duckdb-warmup.parquet')} (FORMAT parquet, COMPRESSION ${o.codecs[0]})`);
	fs.rmSync(o.out + '-duckdb-warmup.parquet', { force: true });

	for (const threads of [defaultThreads, 1]) {
		await conn.run(`SET threads = ${threads}`);
		for (const codec of o.codecs) {
			const file = `${o.out}-duckdb-t${threads}-${codec}.parquet`;
			let best = Infinity;
			for (let i = 0; i < o.runs; i++) {
				fs.rmSync(file, { force: true });
				t0 = performance.now();
				await conn.run(`COPY t TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ${codec})`);
				best = Math.min(best, (performance.now() - t0) / 1000);
			}
			const out = fs.statSync(file).size;
			console.log(`writer=duckdb threads=${threads} codec=${codec} rows=${rows} seconds=${best.toFixed(4)} ` +
				`rows_per_s=${(rows / best).toFixed(0)} out_bytes=${out} out_MBps=${(out / best / 1e6).toFixed(1)} ` +
				`csv_MBps=${(csvBytes / best / 1e6).toFixed(1)} bytes_per_row=${(out / rows).toFixed(2)} file=${file}`);
		}
	}
	conn.closeSync?.();
}

main().catch((e) => {
	process.stderr.write(`duckdb-write: ${e.stack || e}\n`);
	process.exit(1);
});
