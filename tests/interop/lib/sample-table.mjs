// sample-table.mjs - the deterministic table write-others.mjs writes with
// DuckDB and arrow-rs for flowprep's reader to read back.
//
// The same `rows` always give the same values (a smaller count is a prefix
// of a larger one). Edge values sit in the first rows; nulls follow fixed
// row patterns, so every optional column has some and no row is all null.

import { NULL_CELL, canonBinary, canonDouble, canonString, canonTimestamp } from './canon.mjs';

// mulberry32: a small, well-known 32-bit generator; one per column so
// adding a column does not shift the others.
function generator(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	};
}

const I32_EDGES = [-2147483648, 2147483647, 0, -1, 1];
const I64_EDGES = [-9223372036854775808n, 9223372036854775807n, 0n, -1n, 9007199254740993n, -9007199254740993n];
const F64_EDGES = [NaN, Infinity, -Infinity, -0, 0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
	0.1, 1e21, 1e-7, 123456789.125, -1.5, 1e300 * 1e-300, 4.35, 9007199254740993, 0.000001, 1e-6 / 3];
const STR_EDGES = ['', 'a', 'héllo wörld', '日本語のテキスト', '🙂 emoji', 'tab\there', 'quote " and back\\slash',
	'line1\nline2\r\n', '\u0001\u001f\u007f', `long-${'abcdefghij'.repeat(120)}`];
const PROTOCOLS = ['tcp', 'udp', 'icmp', 'gre', 'sctp'];
const TS_US_EDGES = [0n, -1n, -86400000000n, 1700000000123456n, 4102444800000000n];
const TS_MS_EDGES = [0n, -1n, 1700000000123n, -2208988800000n, 4102444800999n];
const TS_NS_EDGES = [0n, -1n, 1700000000123456789n, -2208988800000000001n, 9223372036854775807n];

const isNull = (i, mod, rem) => i >= 24 && i % mod === rem;

function randomDouble(next) {
	const dv = new DataView(new ArrayBuffer(8));
	dv.setUint32(0, next());
	dv.setUint32(4, next());
	return dv.getFloat64(0);
}

function randomI64(next) {
	return BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next()));
}

/**
 * The table: [{ name, kind, nullable, values }]. kind: int32 int64 double
 * string binary bool ts_us_utc ts_ms ts_ns.
 */
export function sampleTable(rows) {
	const cols = [];
	const add = (name, kind, nullable, seed, fn) => {
		const next = generator(seed);
		const values = [];
		for (let i = 0; i < rows; i++)
			values.push(fn(i, next));
		cols.push({ name, kind, nullable, values });
	};
	add('id', 'int32', false, 1, (i) => i);
	add('i32', 'int32', true, 2, (i, next) => (isNull(i, 11, 3) ? null : (i < I32_EDGES.length ? I32_EDGES[i] : next() | 0)));
	add('i64', 'int64', true, 3, (i, next) => (isNull(i, 13, 5) ? null : (i < I64_EDGES.length ? I64_EDGES[i] : randomI64(next))));
	add('f64', 'double', true, 4, (i, next) => {
		if (isNull(i, 17, 7))
			return null;
		if (i < F64_EDGES.length)
			return F64_EDGES[i];
		// alternate raw bit patterns (every exponent) with ordinary values
		return i % 2 ? randomDouble(next) : (next() - 2147483648) / 1000;
	});
	add('str', 'string', true, 5, (i, next) => {
		if (isNull(i, 7, 2))
			return null;
		if (i < STR_EDGES.length)
			return STR_EDGES[i];
		const r = next() % 10;
		return r < 7 ? PROTOCOLS[r % PROTOCOLS.length] : `host-${next() % 1000}.example`;
	});
	add('proto', 'string', false, 6, (i, next) => PROTOCOLS[next() % 3]);
	add('payload', 'binary', true, 7, (i, next) => {
		if (isNull(i, 9, 4))
			return null;
		const b = new Uint8Array(i % 6 === 0 ? 0 : 1 + (next() % 12));
		for (let k = 0; k < b.length; k++)
			b[k] = next() & 0xff;
		return b;
	});
	add('flag', 'bool', true, 8, (i, next) => (isNull(i, 5, 4) ? null : (next() & 1) === 1));
	add('ts_us', 'ts_us_utc', true, 9, (i, next) => (isNull(i, 19, 1) ? null
		: (i < TS_US_EDGES.length ? TS_US_EDGES[i] : 1700000000000000n + BigInt(i) * 1234567n + BigInt(next() % 1000))));
	add('ts_ms', 'ts_ms', true, 10, (i, next) => (isNull(i, 23, 6) ? null
		: (i < TS_MS_EDGES.length ? TS_MS_EDGES[i] : 1600000000000n + BigInt(i) * 60001n + BigInt(next() % 1000))));
	add('ts_ns', 'ts_ns', true, 11, (i, next) => (isNull(i, 29, 8) ? null
		: (i < TS_NS_EDGES.length ? TS_NS_EDGES[i] : 1700000000000000000n + BigInt(i) * 1000000007n + BigInt(next()))));
	// DuckDB has no nanosecond UTC type: only arrow-rs writes this column
	add('ts_ns_utc', 'ts_ns_utc', true, 12, (i, next) => (isNull(i, 31, 9) ? null
		: (i < TS_NS_EDGES.length ? -TS_NS_EDGES[i] - 1n : 1600000000000000000n - BigInt(i) * 999999937n - BigInt(next()))));
	cols[cols.length - 1].only = 'arrow-rs';
	return cols;
}

/** The columns a writer can write. */
export function columnsFor(cols, writer) {
	return cols.filter((c) => !c.only || c.only === writer);
}

const KIND_UNIT = { ts_us_utc: 'us', ts_ms: 'ms', ts_ns: 'ns', ts_ns_utc: 'ns' };

/** The canonical cell text of a source value (see canon.mjs). */
export function sourceCell(kind, v) {
	if (v === null || v === undefined)
		return NULL_CELL;
	switch (kind) {
	case 'int32': case 'int64': return String(v);
	case 'double': return canonDouble(v);
	case 'string': return canonString(v);
	case 'binary': return canonBinary(v);
	case 'bool': return v ? 'true' : 'false';
	default: return canonTimestamp(v, KIND_UNIT[kind]);
	}
}

/** The source table's rows as canonical cell texts. */
export function sourceRows(cols) {
	const n = cols.length ? cols[0].values.length : 0;
	const rows = [];
	for (let i = 0; i < n; i++)
		rows.push(cols.map((c) => sourceCell(c.kind, c.values[i])));
	return rows;
}
