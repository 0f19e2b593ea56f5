// textmate.js - for tests/editors/run.sh: the TextMate scope at each
// place listed in EXPECTED (LINE BYTE-COLUMN ...), tokenized by
// vscode-textmate with the Oniguruma engine (as VS Code does); prints
// "LINE COL SCOPE" lines, the innermost scope at that byte.
//
//   node textmate.js NODE_MODULES_DIR GRAMMAR SAMPLE EXPECTED
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, grammarPath, samplePath, expectedPath] = process.argv.slice(2);
const req = (name) => require(path.join(modules, name));
const vsctm = req('vscode-textmate');
const oniguruma = req('vscode-oniguruma');

async function main() {
  const wasm = fs.readFileSync(path.join(modules, 'vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.slac');
  if (!grammar) throw new Error('the grammar did not load');
  // the scopes of each line, by byte column (1-based)
  const lines = fs.readFileSync(samplePath, 'utf8').split('\n');
  const byByte = [];
  let stack = vsctm.INITIAL;
  for (const text of lines) {
    const r = grammar.tokenizeLine(text, stack);
    stack = r.ruleStack;
    const cols = [];
    for (const t of r.tokens) {
      const scope = t.scopes[t.scopes.length - 1];
      for (let i = t.startIndex; i < Math.min(t.endIndex, text.length); i++) {
        const cp = text.codePointAt(i);
        const bytes = Buffer.byteLength(String.fromCodePoint(cp));
        if (cp > 0xffff) i++; // the pair's second half
        for (let b = 0; b < bytes; b++) cols.push(scope === 'source.slac' ? '-' : scope);
      }
    }
    byByte.push(cols);
  }
  const out = [];
  for (const l of fs.readFileSync(expectedPath, 'utf8').split('\n')) {
    if (l.startsWith('#') || !l.trim()) continue;
    const [line, col] = l.split(/\s+/).map(Number);
    const scope = (byByte[line - 1] || [])[col - 1] || '-';
    out.push(`${line} ${col} ${scope}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}
main().catch((e) => {
  console.error(`textmate.js: ${e.stack || e}`);
  process.exit(1);
});
