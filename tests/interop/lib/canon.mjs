// canon.mjs - the canonical text dump every reader in the interop suite
// prints, so that flowprep's reader (fp-parquet-tool dump) and the
// independent readers (DuckDB, arrow-rs) can be compared with diff.
//
// A dump is one header line, then one line per row, in file order:
//
//   header  '#' followed by one TAB-separated entry per column:
//           <JSON name>:<type>:<nullable|required>
//           type: bool int32 int64 float double string binary
//                 timestamp[ms|us|ns] or timestamp[ms|us|ns,UTC]
//                 (",UTC" = isAdjustedToUTC); anything else is
//                 unsupported(<what>)
//   row     the cells TAB-separated:
//           null       \N
//           bool       true | false
//           integers   decimal, '-' for negatives, no leading zeros
//           double     ECMAScript Number::toString (shortest round-trip
//                      digits; 1e+21, 1.5e-7, 123.25, 0.001), plus NaN,
//                      Infinity, -Infinity, and -0 for negative zero
//           string     JSON.stringify: quoted; \" \\ \b \f \n \r \t and
//                      \u00xx (lower-case hex) for other bytes < 0x20;
//                      everything else (DEL, non-ASCII UTF-8) verbatim
//           binary     0x followed by lower-case hex (empty: 0x)
//           timestamp  nanoseconds since the Unix epoch as a decimal
//                      integer, whatever the stored unit (exact: ms and
//                      us are scaled up)
//
// Invariant: the same table read by any correct reader gives byte-identical
// dumps; fp-parquet-tool.c implements the same rules in C.

export const NULL_CELL = '\\N';

const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function canonBinary(bytes) {
	let s = '0x';
	for (let i = 0; i < bytes.length; i++)
		s += hexDigits[bytes[i]];
	return s;
}

export function canonDouble(v) {
	return Object.is(v, -0) ? '-0' : String(v);
}

export function canonString(s) {
	return JSON.stringify(s);
}

const NS_PER_UNIT = { ms: 1000000n, us: 1000n, ns: 1n };

export function canonTimestamp(value, unit) {
	return String(BigInt(value) * NS_PER_UNIT[unit]);
}

export function columnText(col) {
	return `${JSON.stringify(col.name)}:${col.type}:${col.nullable ? 'nullable' : 'required'}`;
}

export function headerLine(columns) {
	return `#${columns.map(columnText).join('\t')}`;
}

/** dump = { columns: [{ name, type, nullable }], rows: [[cell text]] } */
export function dumpText(dump) {
	const lines = [headerLine(dump.columns)];
	for (const r of dump.rows)
		lines.push(r.join('\t'));
	return `${lines.join('\n')}\n`;
}

/** Turns per-column arrays of cell texts into rows. */
export function rowsFromColumns(cols, nrows) {
	const rows = new Array(nrows);
	for (let i = 0; i < nrows; i++)
		rows[i] = cols.map((c) => c[i]);
	return rows;
}

/**
 * Differences between two dumps, as sentences (at most `limit`), naming the
 * row and the column; [] when they agree.
 */
export function compareDumps(a, b, aName, bName, limit = 10) {
	const out = [];
	const ncols = Math.max(a.columns.length, b.columns.length);
	for (let j = 0; j < ncols; j++) {
		const x = a.columns[j] ? columnText(a.columns[j]) : '(none)';
		const y = b.columns[j] ? columnText(b.columns[j]) : '(none)';
		if (x !== y)
			out.push(`column ${j}: ${aName} has ${x}, ${bName} has ${y}`);
	}
	if (a.rows.length !== b.rows.length)
		out.push(`row count: ${aName} has ${a.rows.length}, ${bName} has ${b.rows.length}`);
	const nrows = Math.min(a.rows.length, b.rows.length);
	let more = 0;
	for (let i = 0; i < nrows; i++) {
		for (let j = 0; j < ncols; j++) {
			const x = a.rows[i][j];
			const y = b.rows[i][j];
			if (x === y)
				continue;
			if (out.length >= limit) {
				more++;
				continue;
			}
			const name = (a.columns[j] ?? b.columns[j])?.name ?? `#${j}`;
			out.push(`row ${i} column ${JSON.stringify(name)}: ${aName} ${x}, ${bName} ${y}`);
		}
	}
	if (more)
		out.push(`... and ${more} more differing cells`);
	return out;
}

/** Parses a dump text back (for comparing files written earlier). */
export function parseDump(text) {
	const lines = text.split('\n');
	if (lines[lines.length - 1] === '')
		lines.pop();
	if (!lines.length || !lines[0].startsWith('#'))
		throw new Error('not a dump: the first line must be the # header');
	const head = lines[0].slice(1);
	const columns = head === '' ? [] : head.split('\t').map((e) => {
		const m = /^(".*"):([^:]+):(nullable|required)$/.exec(e);
		if (!m)
			throw new Error(`bad header entry ${e}`);
		return { name: JSON.parse(m[1]), type: m[2], nullable: m[3] === 'nullable' };
	});
	return { columns, rows: lines.slice(1).map((l) => l.split('\t')) };
}
