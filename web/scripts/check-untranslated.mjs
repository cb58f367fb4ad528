// Fails on user-visible English that bypasses Lingui: JSX text with letters, string literals in the
// props people read or hear (aria-label, title, placeholder, alt, label…), and, in any .ts or .tsx, a
// sentence kept in a string (a field error, a status line, a label table: "Enter the city."), in any file
// under src/ that is not a test. Text inside <Trans>, t`…`, msg`…`, plural()/select() is translated and
// not reported. A few strings must stay as they are in every language: they are listed in ALLOWED below.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = new URL('../src/', import.meta.url).pathname;

/** Props whose string value is shown or read aloud. */
const VISIBLE_PROPS = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'data-label',
  'label',
  'heading',
  'lead',
  'eyebrow',
  'hint',
  'loadingLabel',
  'busyLabel',
  'closeLabel',
  'text',
  'announce',
  'description',
]);

/** Text that is the same in every language: brand names, units, language names, symbols. */
const ALLOWED = new Set([
  'English',
  'Español',
  'mg/dL',
  'mmHg',
  'bpm',
  'kg',
  'lb',
  'cm',
  'in',
  'Stripe',
  'Visa',
  'PDF',
  'CSV',
  'FHIR',
  'ID',
  'NCPDP',
  'Clinic Portal',
  'American Express',
  'Request failed ({})', // an answer with no message of its own (a gateway's): the status is what matters
]);

/** Tables of proper names shown as they are (US state names in an address). */
const ALLOWED_TABLES = new Set(['US_STATES', 'US_STATE_NAMES_ES', 'LANGUAGES']);

/** A sentence or label in a plain string: a capitalised word, then more words ("Enter the city."). */
const SENTENCE = /^[\s“"]*\p{Lu}\p{Ll}*[\p{Ll}’'](?:\s+\S+)+/u;

/** Lingui macros: anything lexically inside these is a message. */
const MACRO_CALLS = new Set(['t', 'msg', 'defineMessage', 'plural', 'select', 'selectOrdinal']);
const MACRO_ELEMENTS = new Set(['Trans', 'Plural', 'Select', 'SelectOrdinal']);
const LITERAL_ELEMENTS = new Set(['code', 'kbd', 'samp']);

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test') yield* sourceFiles(path);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.includes('.test.') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Strings no one reads: messages for developers (console, thrown errors), module names, types, keys. */
function forDevelopers(node) {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p) || ts.isNewExpression(p)) return true;
    if (ts.isJsxAttribute(p) || ts.isJsxExpression(p)) return true; // JSX is checked by the rules above
    if (ts.isCallExpression(p) && /^console\.|^(import|require)$/.test(p.expression.getText())) return true;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && ALLOWED_TABLES.has(p.name.text)) return true;
    if (ts.isBinaryExpression(p) && /Authorization$/.test(p.left.getText())) return true;
  }
  return ts.isPropertyAssignment(node.parent) && node.parent.name === node;
}

/** The text of a plain string or template, placeholders shown as {}. */
function plainText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `{}${span.literal.text}`).join('');
  return null;
}

function hasWords(text) {
  const trimmed = text.replace(/\s+/g, ' ').replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
  return /\p{L}{2,}/u.test(trimmed) && !ALLOWED.has(trimmed);
}

function insideMacro(node) {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isTaggedTemplateExpression(p) && ts.isIdentifier(p.tag) && MACRO_CALLS.has(p.tag.text)) return true;
    if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && MACRO_CALLS.has(p.expression.text)) return true;
    if (ts.isJsxElement(p) && MACRO_ELEMENTS.has(p.openingElement.tagName.getText())) return true;
    // Code, keys and sample input are shown as typed (column names, file formats); their labels are not.
    if (ts.isJsxText(node) && ts.isJsxElement(p) && LITERAL_ELEMENTS.has(p.openingElement.tagName.getText())) return true;
  }
  return false;
}

/** The string literals an attribute's value can evaluate to (`"x"`, `{"x"}`, `{a ? "x" : "y"}`, `{`x`}`). */
function literals(expr) {
  if (!expr) return [];
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr];
  if (ts.isJsxExpression(expr)) return literals(expr.expression);
  if (ts.isParenthesizedExpression(expr)) return literals(expr.expression);
  if (ts.isConditionalExpression(expr)) return [...literals(expr.whenTrue), ...literals(expr.whenFalse)];
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind !== ts.SyntaxKind.PlusToken) {
    return [...literals(expr.left), ...literals(expr.right)];
  }
  if (ts.isTemplateExpression(expr)) return [expr.head, ...expr.templateSpans.map((s) => s.literal)];
  return [];
}

export function findUntranslated(fileName, source) {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const found = [];
  const report = (node, text) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push({ line: line + 1, text: text.replace(/\s+/g, ' ').trim() });
  };
  const visit = (node) => {
    if (ts.isJsxText(node) && hasWords(node.text) && !insideMacro(node)) report(node, node.text);
    if (ts.isJsxAttribute(node) && VISIBLE_PROPS.has(node.name.getText(file))) {
      for (const lit of literals(node.initializer)) {
        if (hasWords(lit.text) && !insideMacro(lit)) report(lit, lit.text);
      }
    }
    const text = plainText(node);
    if (text !== null && SENTENCE.test(text) && !ALLOWED.has(text.trim()) && !insideMacro(node) && !forDevelopers(node)) {
      report(node, text);
    }
    // A string literal as a JSX child: {'Save'} or {cond ? 'Yes' : 'No'}.
    if (ts.isJsxExpression(node) && node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const lit of literals(node.expression)) {
        if (hasWords(lit.text) && !insideMacro(lit)) report(lit, lit.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

// Screens still waiting for translation, with how many strings each may still hold: a file may only go
// down. `node scripts/check-untranslated.mjs --update` rewrites it after strings are translated.
const BASELINE = new URL('./untranslated-baseline.json', import.meta.url).pathname;

if (import.meta.url === `file://${process.argv[1]}`) {
  const byFile = {};
  for (const path of sourceFiles(ROOT)) {
    const found = findUntranslated(path, readFileSync(path, 'utf8'));
    if (found.length > 0) byFile[`src/${relative(ROOT, path)}`] = found;
  }
  if (process.argv.includes('--list')) {
    for (const [file, found] of Object.entries(byFile)) for (const { line, text } of found) console.log(`${file}:${line}: ${JSON.stringify(text)}`);
    process.exit(0);
  }
  if (process.argv.includes('--update')) {
    const counts = Object.fromEntries(Object.entries(byFile).map(([file, found]) => [file, found.length]).sort());
    writeFileSync(BASELINE, `${JSON.stringify(counts, null, 2)}\n`);
    console.log(`Wrote ${Object.keys(counts).length} files still waiting for translation to ${BASELINE}.`);
    process.exit(0);
  }
  const baseline = existsSync(BASELINE) ? JSON.parse(readFileSync(BASELINE, 'utf8')) : {};
  const problems = [];
  for (const [file, found] of Object.entries(byFile)) {
    const allowed = baseline[file] ?? 0;
    if (found.length > allowed) {
      problems.push(`${file}: ${found.length} untranslated (at most ${allowed})`);
      for (const { line, text } of found) problems.push(`    ${file}:${line}: ${JSON.stringify(text)}`);
    }
  }
  if (problems.length > 0) {
    console.error(`Text shown to people that is not translated; wrap it in t\`…\` or <Trans>:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const left = Object.values(byFile).reduce((sum, found) => sum + found.length, 0);
  console.log(`Screen text goes through Lingui (${left} older strings still listed in untranslated-baseline.json).`);
}
