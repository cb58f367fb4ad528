// Importing existing patients from the admin page: the file is cut into chunks the API takes one request
// at a time (a Lambda call has 30 seconds, a body 1 MB), each keeping the file's own line (or entry)
// numbers, and the chunks' reports are added up. The server parses and checks every row; here the file is
// only cut at row boundaries (a quoted cell may hold line breaks).

import { t } from '@lingui/core/macro';
import type { PatientImportOut } from './api';

export const ROWS_PER_CHUNK = 200;
// Characters of file per request: JSON escaping can double them, and the body must stay under 1 MB.
export const MAX_CHUNK_CHARS = 400_000;

export type ImportFormat = 'csv' | 'fhir';

export interface Chunk {
  content: string;
  firstRow: number;
  rows: number;
}

export class FileProblem extends Error {}

export function formatOf(name: string, text: string): ImportFormat {
  return name.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{') ? 'fhir' : 'csv';
}

/** The records of a CSV text with the line each starts on (RFC 4180 quoting; blank lines skipped). */
export function csvRecords(text: string): { header: string; records: { line: number; text: string }[] } {
  const body = text.replace(/^\uFEFF/, '');
  const records: { line: number; text: string }[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  const push = (end: number) => {
    const record = body.slice(start, end).replace(/\r$/, '');
    if (record.trim() !== '' || records.length === 0) records.push({ line: startLine, text: record });
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n') {
      line += 1;
      if (!quoted) {
        push(i);
        start = i + 1;
        startLine = line;
      }
    }
  }
  if (start < body.length) push(body.length);
  const [header, ...rest] = records;
  if (!header || header.text.trim() === '') throw new FileProblem(t`The file is empty: its first line must name the columns.`);
  return { header: header.text, records: rest };
}

export function csvChunks(text: string, rowsPerChunk = ROWS_PER_CHUNK, maxChars = MAX_CHUNK_CHARS): Chunk[] {
  const { header, records } = csvRecords(text);
  const chunks: Chunk[] = [];
  let batch: { line: number; text: string }[] = [];
  let size = header.length;
  const flush = () => {
    if (batch.length === 0) return;
    // Lines between the chunk's rows (blank ones) keep their place, so the server counts as the file does.
    const first = batch[0]!.line;
    const lines = [header];
    let at = first;
    for (const r of batch) {
      while (at < r.line) {
        if (at > first) lines.push('');
        at += 1;
      }
      lines.push(r.text);
      at = r.line + r.text.split('\n').length;
    }
    chunks.push({ content: `${lines.join('\n')}\n`, firstRow: first, rows: batch.length });
    batch = [];
    size = header.length;
  };
  for (const r of records) {
    if (batch.length >= rowsPerChunk || (batch.length > 0 && size + r.text.length + 1 > maxChars)) flush();
    batch.push(r);
    size += r.text.length + 1;
  }
  flush();
  return chunks;
}

export function fhirChunks(text: string, rowsPerChunk = ROWS_PER_CHUNK, maxChars = MAX_CHUNK_CHARS): Chunk[] {
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch {
    throw new FileProblem(t`This file is not valid JSON, so it cannot be a FHIR Bundle.`);
  }
  const b = bundle as { resourceType?: unknown; entry?: unknown };
  if (!b || typeof b !== 'object' || b.resourceType !== 'Bundle' || (b.entry !== undefined && !Array.isArray(b.entry))) {
    throw new FileProblem(t`This JSON file is not a FHIR Bundle of Patient resources.`);
  }
  const entries = (b.entry as unknown[] | undefined) ?? [];
  const envelope = { ...(bundle as Record<string, unknown>) };
  delete envelope.entry;
  const chunks: Chunk[] = [];
  let batch: unknown[] = [];
  let first = 1;
  let size = 0;
  const flush = () => {
    if (batch.length === 0) return;
    chunks.push({ content: JSON.stringify({ ...envelope, entry: batch }), firstRow: first, rows: batch.length });
    first += batch.length;
    batch = [];
    size = 0;
  };
  for (const entry of entries) {
    const length = JSON.stringify(entry).length;
    if (batch.length >= rowsPerChunk || (batch.length > 0 && size + length > maxChars)) flush();
    batch.push(entry);
    size += length;
  }
  flush();
  return chunks;
}

export function chunksOf(name: string, text: string): { format: ImportFormat; chunks: Chunk[] } {
  const format = formatOf(name, text);
  const chunks = format === 'fhir' ? fhirChunks(text) : csvChunks(text);
  if (chunks.length === 0) throw new FileProblem(t`The file holds no patients.`);
  return { format, chunks };
}

/** The chunks' reports as one. */
export function addReports(reports: PatientImportOut[], dryRun: boolean): PatientImportOut {
  return {
    dry_run: dryRun,
    numbered_by: reports[0]?.numbered_by ?? 'line',
    read: reports.reduce((n, r) => n + r.read, 0),
    accepted: reports.reduce((n, r) => n + r.accepted, 0),
    new: reports.reduce((n, r) => n + r.new, 0),
    new_with_email: reports.reduce((n, r) => n + r.new_with_email, 0),
    created: reports.flatMap((r) => r.created),
    already_registered: reports.flatMap((r) => r.already_registered),
    rejected: reports.flatMap((r) => r.rejected),
  };
}
