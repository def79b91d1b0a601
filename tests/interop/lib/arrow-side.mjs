// arrow-side.mjs - arrow-rs (the Rust parquet crate compiled to WebAssembly,
// package parquet-wasm) as the second independent implementation. Its
// output crosses into JavaScript as an Arrow IPC stream decoded by
// apache-arrow.
//
// Timestamps are read from the raw int64 buffer (not Vector.get(), which
// turns them into lossy millisecond doubles).

import * as A from 'apache-arrow';
import * as P from 'parquet-wasm';

import { NULL_CELL, canonBinary, canonDouble, canonString, canonTimestamp, rowsFromColumns } from './canon.mjs';

export { A as arrow, P as parquetWasm };

const UNIT_TEXT = { [A.TimeUnit.MILLISECOND]: 'ms', [A.TimeUnit.MICROSECOND]: 'us', [A.TimeUnit.NANOSECOND]: 'ns' };

function fieldType(t) {
	switch (t.typeId) {
	case A.Type.Bool:
		return 'bool';
	case A.Type.Int:
		if (t.isSigned && (t.bitWidth === 32 || t.bitWidth === 64))
			return `int${t.bitWidth}`;
		return `unsupported(${t})`;
	case A.Type.Float:
		if (t.precision === A.Precision.DOUBLE)
			return 'double';
		if (t.precision === A.Precision.SINGLE)
			return 'float';
		return `unsupported(${t})`;
	case A.Type.Utf8:
	case A.Type.LargeUtf8:
		return 'string';
	case A.Type.Binary:
	case A.Type.LargeBinary:
		return 'binary';
	case A.Type.Timestamp: {
		const unit = UNIT_TEXT[t.unit];
		if (!unit)
			return `unsupported(${t})`;
		return `timestamp[${unit}${t.timezone ? ',UTC' : ''}]`;
	}
	case A.Type.Dictionary:
		return fieldType(t.dictionary);
	default:
		return `unsupported(${t})`;
	}
}

function columnCells(vec, type) {
	const out = [];
	if (type.startsWith('timestamp')) {
		const unit = /\[(ms|us|ns)/.exec(type)[1];
		for (const d of vec.data) {
			for (let j = 0; j < d.length; j++)
				out.push(d.getValid(j) ? canonTimestamp(d.values[d.offset + j], unit) : NULL_CELL);
		}
		return out;
	}
	for (let i = 0; i < vec.length; i++) {
		const v = vec.get(i);
		if (v === null || v === undefined) {
			out.push(NULL_CELL);
			continue;
		}
		switch (type) {
		case 'bool': out.push(v ? 'true' : 'false'); break;
		case 'int32': case 'int64': out.push(String(v)); break;
		case 'float': case 'double': out.push(canonDouble(v)); break;
		case 'string': out.push(canonString(v)); break;
		case 'binary': out.push(canonBinary(v)); break;
		default: out.push(`?${type}`);
		}
	}
	return out;
}

/** Reads the whole file (bytes: Uint8Array): { columns, rows }. */
export function readWithArrowRs(bytes) {
	const wasmTable = P.readParquet(bytes);
	const table = A.tableFromIPC(wasmTable.intoIPCStream());
	const columns = table.schema.fields.map((f) => ({ name: f.name, type: fieldType(f.type), nullable: f.nullable }));
	const cells = columns.map((c, j) => columnCells(table.getChildAt(j), c.type));
	return { columns, rows: rowsFromColumns(cells, table.numRows) };
}
