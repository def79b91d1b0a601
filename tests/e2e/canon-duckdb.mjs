#!/usr/bin/env node
// canon-duckdb.mjs - DuckDB's view of `flowprep canonicalize` on the
// CIC-IDS-2017 sample (shared/data/cic2017_sample.parquet), for
// canonicalize-samples.sh and the benchmark.
//
//   node canon-duckdb.mjs check INPUT.parquet OURS.parquet
//       maps INPUT in SQL the way the schema's aliases say and compares
//       every value of every row with OURS (flowprep's output), matched by
//       row number; prints "rows=N mismatches=M" and exits 1 on mismatch.
//   node canon-duckdb.mjs time INPUT.parquet OUT.parquet RUNS
//       times COPY (SELECT mapping) TO OUT (FORMAT parquet, COMPRESSION
//       zstd), best of RUNS after a warm-up; prints "duckdb_s=S".
//
// @duckdb/node-api comes from tests/interop/node_modules (`npm ci` there);
// exits 77 when it is missing.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const interop = process.env.FLOWPREP_INTEROP_DIR || path.join(here, '..', 'interop');
let duckdb;
try {
	duckdb = createRequire(path.join(interop, 'package.json'))('@duckdb/node-api');
} catch {
	console.log('SKIP: @duckdb/node-api is not installed (npm ci in tests/interop)');
	process.exit(77);
}

// The sample's columns onto the canonical ones, as the schema's aliases map
// them (total_fwd_pkts -> fwd_pkts...); its naive timestamps are UTC.
const columns = `epoch_us(timestamp) AS timestamp, src_ip, dest_ip, src_port, dest_port,
	fwd_bytes::BIGINT AS fwd_bytes, bwd_bytes::BIGINT AS bwd_bytes, total_fwd_pkts::BIGINT AS fwd_pkts,
	total_bwd_pkts::BIGINT AS bwd_pkts, flow_dur, NULL::INTEGER AS protocol, label, attack`;
const mapping = (input) => `SELECT ${columns} FROM read_parquet('${input}')`;

const [mode, input, other, runs] = process.argv.slice(2);
const db = await duckdb.DuckDBInstance.create(':memory:');
const c = await db.connect();

if (mode === 'check') {
	const cols = ['timestamp', 'src_ip', 'dest_ip', 'src_port', 'dest_port', 'fwd_bytes', 'bwd_bytes', 'fwd_pkts',
		'bwd_pkts', 'flow_dur', 'protocol', 'label', 'attack'];
	const q = `WITH want AS (SELECT file_row_number + 1 AS rn, ${columns}
			FROM read_parquet('${input}', file_row_number = true)),
		got AS (SELECT file_row_number + 1 AS rn, * EXCLUDE (timestamp, file_row_number),
			epoch_us(timestamp) AS timestamp FROM read_parquet('${other}', file_row_number = true))
		SELECT (SELECT count(*) FROM got) AS rows, (SELECT count(*) FROM want) AS want_rows,
			count(*) FILTER (WHERE ${cols.map((k) => `want.${k} IS DISTINCT FROM got.${k}`).join(' OR ')})
			AS mismatches
		FROM want JOIN got USING (rn)`;
	const r = (await c.runAndReadAll(q)).getRowObjectsJson()[0];
	console.log(`rows=${r.rows} want_rows=${r.want_rows} mismatches=${r.mismatches}`);
	process.exit(r.rows === r.want_rows && r.mismatches === '0' ? 0 : 1);
} else if (mode === 'time') {
	const copy = `COPY (${mapping(input)}) TO '${other}' (FORMAT parquet, COMPRESSION zstd)`;
	await c.run(copy);
	let best = Infinity;
	for (let i = 0; i < Number(runs || 5); i++) {
		const t0 = process.hrtime.bigint();
		await c.run(copy);
		best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
	}
	console.log(`duckdb_s=${best.toFixed(4)}`);
} else {
	console.error('usage: canon-duckdb.mjs check|time INPUT OTHER [RUNS]');
	process.exit(2);
}
