// duckdb.mjs - run a SQL script in DuckDB, the in-process SQL engine a data
// engineer would reach for (npm package @duckdb/node-api, which
// tests/bench/run.sh installs), and print the rows of its last statement
// as comma-separated lines, NULL as an empty field.
//   node duckdb.mjs NODE_MODULES_DIR SCRIPT.sql [NAME=VALUE...]
// Each @NAME@ of the script becomes VALUE as it is (file names and thread
// counts, given by run.sh).  Statements are separated by ";" at the end of
// a line.  Exit status 1 with DuckDB's message on a failure.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [modules, script, ...defs] = process.argv.slice(2);
if (!modules || !script) {
  process.stderr.write('usage: node duckdb.mjs NODE_MODULES_DIR SCRIPT.sql [NAME=VALUE...]\n');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modules), 'x.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

let sql = readFileSync(script, 'utf8');
for (const d of defs) {
  const eq = d.indexOf('=');
  sql = sql.split(`@${d.slice(0, eq)}@`).join(d.slice(eq + 1));
}
const unset = sql.match(/@[A-Z_]+@/);
if (unset) {
  process.stderr.write(`duckdb.mjs: ${script}: ${unset[0]} is not given\n`);
  process.exit(2);
}
const statements = sql.split(/;\s*$/m).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter((s) => s);

try {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  let rows = [];
  for (const s of statements) {
    const reader = await con.runAndReadAll(s);
    rows = reader.getRows();
  }
  const out = rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n');
  process.stdout.write(out ? out + '\n' : '');
} catch (e) {
  process.stderr.write(`duckdb.mjs: ${script}: ${e.message}\n`);
  process.exit(1);
}
