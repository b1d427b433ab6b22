// Runs apl-suggester's offline validator over APL documents and prints what it finds as JSON:
// {"<path>": [{"path": ..., "errorMessage": ..., "level": ...}, ...], ...}.
// Usage: node tests/apl/validate.js DOCUMENT.json [...]
// apl-suggester 2024.2.0 exports StaticAplTemplateValidator, whose validate(document) resolves to
// IValidationInfo[] (path, errorMessage, level). It reports schema and structure problems but
// not unknown component types (those go to an internal error controller): tests/test_apl.py
// checks those itself.
'use strict';

const fs = require('fs');
const { StaticAplTemplateValidator } = require('apl-suggester');

async function main(paths) {
  if (paths.length === 0) {
    console.error('usage: node tests/apl/validate.js DOCUMENT.json [...]');
    return 2;
  }
  // The validator logs schema-merging notes with console.warn; keep stdout for the JSON.
  console.warn = (...args) => process.stderr.write(args.join(' ') + '\n');
  const validator = new StaticAplTemplateValidator();
  const results = {};
  for (const path of paths) {
    const document = JSON.parse(fs.readFileSync(path, 'utf8'));
    results[path] = await validator.validate(document);
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(error); process.exitCode = 1; },
);
