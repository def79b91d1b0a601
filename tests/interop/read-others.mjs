#!/usr/bin/env node
// read-others.mjs FILE - reads a Parquet file with DuckDB and with arrow-rs
// (parquet-wasm), compares the two canonical dumps (lib/canon.mjs,
// lib/agree.mjs) and prints the agreed dump on stdout.
//
// On stderr: a line "meta rows=N row_groups=M codecs=ZSTD,..." telling what
// the footer says according to DuckDB (the suite checks codec and row
// groups), then "note: ..." lines for reconciled known lossy readings.
//
// Exit status: 0 both readers read the file and agree on every column type,
// nullability and value; 1 a reader failed or they disagree (the
// differences go to stderr, naming row, column and both values); 2 usage.

import { dumpText } from './lib/canon.mjs';
import { duckdbFileMeta } from './lib/duckdb-side.mjs';
import { readBoth } from './lib/agree.mjs';

async function main() {
	const file = process.argv[2];
	if (!file || process.argv.length > 3) {
		console.error('usage: read-others.mjs FILE.parquet');
		process.exit(2);
	}
	try {
		const m = await duckdbFileMeta(file);
		console.error(`meta rows=${m.rows} row_groups=${m.rowGroups} codecs=${m.codecs.join(',')}`);
	} catch (e) {
		console.error(`read-others.mjs: ${file}: DuckDB cannot read its footer: ${e?.message ?? e}`);
		process.exit(1);
	}
	const r = await readBoth(file);
	for (const n of r.notes)
		console.error(`note: ${n}`);
	if (!r.dump) {
		console.error(`read-others.mjs: ${file}: ${r.problems.join('\n  ')}`);
		process.exit(1);
	}
	process.stdout.write(dumpText(r.dump));
}

main().catch((e) => {
	console.error(`read-others.mjs: ${e?.stack ?? e}`);
	process.exit(1);
});
