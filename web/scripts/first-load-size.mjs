// Gzipped JS a visitor downloads, per language: the first load (what dist/index.html loads, entry and
// modulepreloads, plus that language's core catalog, which main.tsx loads before the first render) and the
// largest lazy area (its chunk, the chunks it imports that the first load has not, and its catalog).
// The budget: first load <= 50 KB gzipped in every language. `--json` prints the figures for bench/web.py.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 50;
const LOCALES = ['en', 'es'];
const areas = JSON.parse(readFileSync('build/areas.json', 'utf8'));
const assets = readdirSync('dist/assets');
const kb = (file) => gzipSync(readFileSync(`dist/${file}`), { level: 9 }).length / 1024;
const json = process.argv.includes('--json');
const show = (size, label) => json || console.log(`${size.toFixed(2).padStart(8)} KB  ${label}`);

function catalog(locale, part) {
  const file = assets.find((f) => f.startsWith(`_lingui-catalog_${locale}_${part}-`) && f.endsWith('.js'));
  if (!file) throw new Error(`no ${locale} catalog for ${part} in dist/assets: run npm run build`);
  return `assets/${file}`;
}

/** A chunk and the chunks it imports statically, transitively. */
function closure(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(`dist/${file}`)) return seen;
  seen.add(file);
  const code = readFileSync(`dist/${file}`, 'utf8');
  for (const m of code.matchAll(/(?:^|[;}\n])\s*import\s*(?:[\w$*{}\s,]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    closure(`assets/${m[1]}`, seen);
  }
  return seen;
}

const html = readFileSync('dist/index.html', 'utf8');
const shell = new Set([...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].flatMap((m) => [...closure(m[1])]));
const shellKb = [...shell].reduce((sum, f) => sum + kb(f), 0);
for (const file of shell) show(kb(file), file);
show(shellKb, 'entry and modulepreloads');

const areaSizes = Object.entries(areas).map(([name, entry]) => {
  const stem = basename(entry, extname(entry));
  const chunk = assets.find((f) => f.startsWith(`${stem}-`) && f.endsWith('.js'));
  if (!chunk) throw new Error(`no chunk for area ${name} (${stem}-*.js)`);
  const code = [...closure(`assets/${chunk}`)].filter((f) => !shell.has(f));
  return { name, code: code.reduce((sum, f) => sum + kb(f), 0) };
});
const largest = areaSizes.sort((a, b) => b.code - a.code)[0];

let over = false;
const report = { budget_kb: BUDGET_KB, entry_kb: shellKb, entry_files: [...shell], languages: {} };
for (const locale of LOCALES) {
  const core = kb(catalog(locale, 'core'));
  const first = shellKb + core;
  over ||= first > BUDGET_KB;
  const areaCatalogKb = kb(catalog(locale, largest.name));
  report.languages[locale] = {
    first_load_kb: first,
    core_catalog_kb: core,
    largest_area: { name: largest.name, code_kb: largest.code, catalog_kb: areaCatalogKb },
  };
  if (json) continue;
  console.log(`\n${locale}:`);
  show(core, `core catalog (${catalog(locale, 'core')})`);
  show(first, `first-load JS, gzipped: ${(first / BUDGET_KB).toFixed(2)} of the ${BUDGET_KB} KB budget`);
  const areaCatalog = kb(catalog(locale, largest.name));
  show(largest.code + areaCatalog, `largest area, ${largest.name}: code ${largest.code.toFixed(2)} KB + catalog ${areaCatalog.toFixed(2)} KB`);
}
if (json) console.log(JSON.stringify(report));
else if (over) process.exitCode = 1;
