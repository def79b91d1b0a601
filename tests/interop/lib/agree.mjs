// agree.mjs - read one file with both independent readers and settle on one
// dump, or say precisely where they disagree.
//
// One known lossy reading is reconciled rather than reported: DuckDB reads
// TIMESTAMP(NANOS, isAdjustedToUTC=true) as a microsecond TIMESTAMPTZ
// (truncated toward zero). Such a cell counts as agreeing when DuckDB's
// value is arrow-rs's truncated to microseconds; the dump then carries
// arrow-rs's full nanoseconds.

import fs from 'node:fs';

import { NULL_CELL, compareDumps } from './canon.mjs';
import { readWithDuckdb } from './duckdb-side.mjs';
import { readWithArrowRs } from './arrow-side.mjs';

function reconcileNanosUtc(viaDuck, viaArrow, notes) {
	viaDuck.columns.forEach((col, j) => {
		if (col.type !== 'timestamp[ns,UTC]' || viaArrow.columns[j]?.type !== col.type)
			return;
		let n = 0;
		const rows = Math.min(viaDuck.rows.length, viaArrow.rows.length);
		for (let i = 0; i < rows; i++) {
			const d = viaDuck.rows[i][j];
			const a = viaArrow.rows[i][j];
			if (d === a || d === NULL_CELL || a === NULL_CELL)
				continue;
			if (BigInt(d) === (BigInt(a) / 1000n) * 1000n) {
				viaDuck.rows[i][j] = a;
				n++;
			}
		}
		if (n)
			notes.push(`column ${JSON.stringify(col.name)}: DuckDB reads TIMESTAMP(NANOS,UTC) as microseconds; ${n} values compared at microseconds`);
	});
}

/**
 * { dump, notes, problems }: dump is null when a reader failed or they
 * disagree (problems says why). allowArrowFailure: when arrow-rs cannot
 * read the file, DuckDB's reading alone is the dump (with a note).
 */
export async function readBoth(file, { allowArrowFailure = false } = {}) {
	const notes = [];
	let viaDuck;
	let viaArrow;
	try {
		viaDuck = await readWithDuckdb(file);
	} catch (e) {
		return { dump: null, notes, problems: [`DuckDB cannot read it: ${e?.message ?? e}`] };
	}
	try {
		viaArrow = readWithArrowRs(new Uint8Array(fs.readFileSync(file)));
	} catch (e) {
		const why = `arrow-rs cannot read it: ${e?.message ?? e}`;
		if (!allowArrowFailure)
			return { dump: null, notes, problems: [why] };
		notes.push(`${why}; DuckDB's reading alone is used`);
		return { dump: viaDuck, notes, problems: [] };
	}
	reconcileNanosUtc(viaDuck, viaArrow, notes);
	const problems = compareDumps(viaDuck, viaArrow, 'duckdb', 'arrow-rs');
	if (problems.length)
		return { dump: null, notes, problems: ['DuckDB and arrow-rs disagree:', ...problems] };
	return { dump: viaArrow, notes, problems };
}
