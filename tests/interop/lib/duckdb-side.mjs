// duckdb-side.mjs - DuckDB (its own C++ Parquet reader and writer, through
// @duckdb/node-api) as one of the independent implementations.
//
// Column types in the dump header come from parquet_schema(), i.e. from the
// file's own annotations as DuckDB parses them, because DuckDB's SQL types
// lose detail (a TIMESTAMP(MILLIS) column is read as a microsecond
// TIMESTAMP). One in-memory instance with one thread per process; the
// session time zone is UTC so nothing is shifted.

import * as duck from '@duckdb/node-api';

import { NULL_CELL, canonBinary, canonDouble, canonString, canonTimestamp, rowsFromColumns } from './canon.mjs';

let connection = null;

export async function duckdbConnection() {
	if (connection)
		return connection;
	const inst = await duck.DuckDBInstance.create(':memory:', { threads: '1' });
	connection = await inst.connect();
	await connection.run("SET TimeZone='UTC'");
	return connection;
}

export async function duckdbVersion() {
	const con = await duckdbConnection();
	return (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
}

export const sqlString = (s) => `'${String(s).replace(/'/g, "''")}'`;

function unitOfLogical(logical) {
	if (/NANOS=NanoSeconds/.test(logical))
		return 'ns';
	if (/MICROS=MicroSeconds/.test(logical))
		return 'us';
	if (/MILLIS=MilliSeconds/.test(logical))
		return 'ms';
	return null;
}

/** The canonical type of one leaf of parquet_schema(). */
function leafType(e) {
	const logical = e.logical_type ?? '';
	const conv = e.converted_type ?? '';
	switch (e.type) {
	case 'BOOLEAN':
		return 'bool';
	case 'INT32':
		if ((conv === '' || conv === 'INT_32') && (logical === '' || /bitWidth=32, isSigned=1/.test(logical)))
			return 'int32';
		return `unsupported(INT32 ${conv} ${logical})`;
	case 'INT64':
		if (logical.startsWith('TimestampType')) {
			const unit = unitOfLogical(logical);
			return `timestamp[${unit}${/isAdjustedToUTC=1/.test(logical) ? ',UTC' : ''}]`;
		}
		// the legacy annotations alone mean adjusted to UTC
		if (logical === '' && conv === 'TIMESTAMP_MILLIS')
			return 'timestamp[ms,UTC]';
		if (logical === '' && conv === 'TIMESTAMP_MICROS')
			return 'timestamp[us,UTC]';
		if ((conv === '' || conv === 'INT_64') && (logical === '' || /bitWidth=64, isSigned=1/.test(logical)))
			return 'int64';
		return `unsupported(INT64 ${conv} ${logical})`;
	case 'FLOAT':
		return 'float';
	case 'DOUBLE':
		return 'double';
	case 'BYTE_ARRAY':
		if (conv === 'UTF8' || logical.startsWith('StringType'))
			return 'string';
		if (conv === '' && logical === '')
			return 'binary';
		return `unsupported(BYTE_ARRAY ${conv} ${logical})`;
	default:
		return `unsupported(${e.type} ${conv} ${logical})`;
	}
}

export async function duckdbColumns(file) {
	const con = await duckdbConnection();
	const res = await con.runAndReadAll(`SELECT name, type, repetition_type, converted_type, logical_type, num_children FROM parquet_schema(${sqlString(file)})`);
	const elems = res.getRowObjects();
	const leaves = elems.slice(1);
	if (leaves.some((e) => Number(e.num_children ?? 0) > 0 || e.repetition_type === 'REPEATED'))
		throw new Error(`${file}: nested or repeated columns are outside this suite`);
	return leaves.map((e) => ({ name: e.name, type: leafType(e), nullable: e.repetition_type !== 'REQUIRED' }));
}

/** One DuckDB value (already known not null) as canonical text. */
function cell(v, type) {
	if (type === 'double' || type === 'float')
		return canonDouble(v);
	if (type === 'int32' || type === 'int64')
		return String(v);
	if (type === 'bool')
		return v ? 'true' : 'false';
	if (type === 'string')
		return canonString(v);
	if (type === 'binary')
		return canonBinary(v.bytes);
	if (type.startsWith('timestamp')) {
		if (v instanceof duck.DuckDBTimestampNanosecondsValue)
			return canonTimestamp(v.nanos, 'ns');
		if (v instanceof duck.DuckDBTimestampMillisecondsValue)
			return canonTimestamp(v.millis, 'ms');
		if (v instanceof duck.DuckDBTimestampValue || v instanceof duck.DuckDBTimestampTZValue)
			return canonTimestamp(v.micros, 'us');
	}
	return `?${v?.constructor?.name ?? typeof v}`;
}

/** What the footer says, per DuckDB: { rows, rowGroups, codecs: ['ZSTD'] }. */
export async function duckdbFileMeta(file) {
	const con = await duckdbConnection();
	const f = (await con.runAndReadAll(`SELECT num_rows, num_row_groups FROM parquet_file_metadata(${sqlString(file)})`)).getRowObjects()[0];
	const c = (await con.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata(${sqlString(file)}) ORDER BY 1`)).getRows();
	return { rows: Number(f.num_rows), rowGroups: Number(f.num_row_groups), codecs: c.map((r) => r[0]) };
}

/** Reads the whole file: { columns, rows } (see canon.mjs). */
export async function readWithDuckdb(file) {
	const con = await duckdbConnection();
	const columns = await duckdbColumns(file);
	const res = await con.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)}, binary_as_string=false)`);
	const names = res.columnNames();
	if (names.length !== columns.length)
		throw new Error(`${file}: DuckDB returned ${names.length} columns, parquet_schema() lists ${columns.length}`);
	const data = res.getColumns().map((vals, j) => vals.map((v) => (v === null || v === undefined ? NULL_CELL : cell(v, columns[j].type))));
	return { columns, rows: rowsFromColumns(data, res.currentRowCount) };
}
