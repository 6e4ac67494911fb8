/**
 * Jupyter notebook documents (nbformat 4): types, a checking parser and a writer.
 *
 * The parser checks the structure the runner relies on (cells, sources, outputs) and keeps every
 * other field untouched, so an executed copy differs from its source only in outputs and counts.
 * Errors name the file and the place: `lecture.ipynb: cells[3].source must be a string or string[]`.
 */

/** A string as nbformat stores it: whole, or split into lines that keep their `\n`. */
export type MultilineString = string | string[];

/** MIME type to content; text types are strings, `application/json` and `+json` types are JSON values. */
export type MimeData = Record<string, unknown>;

/** A plain JSON object as found in notebook metadata. */
export type JsonObject = Record<string, unknown>;

/** Text written to stdout or stderr. */
export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}

/** A rich output sent with `display_data`. */
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeData;
  metadata: JsonObject;
}

/** The value of a cell's last expression, in kernels that send it. */
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeData;
  metadata: JsonObject;
}

/** An error with name, value and traceback lines. */
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Any output of a code cell. */
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** A code cell with its outputs. */
export interface CodeCell {
  cell_type: 'code';
  id?: string;
  source: MultilineString;
  metadata: JsonObject;
  outputs: Output[];
  execution_count: number | null;
}

/** A markdown cell. */
export interface MarkdownCell {
  cell_type: 'markdown';
  id?: string;
  source: MultilineString;
  metadata: JsonObject;
  attachments?: JsonObject;
}

/** A raw cell, passed through untouched by kernels. */
export interface RawCell {
  cell_type: 'raw';
  id?: string;
  source: MultilineString;
  metadata: JsonObject;
  attachments?: JsonObject;
}

/** Any notebook cell. */
export type Cell = CodeCell | MarkdownCell | RawCell;

/** A whole notebook document. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
}

/** A notebook file that cannot be read as nbformat 4; the message names the file and the problem. */
export class NotebookFormatError extends Error {
  override name = 'NotebookFormatError';
}

/** True for a plain (non-array, non-null) object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a multiline string, joined. */
export function joinText(text: MultilineString): string {
  return typeof text === 'string' ? text : text.join('');
}

/** Splits text into lines that keep their `\n`, the way nbformat stores multiline strings. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

/** The source code or text of a cell. */
export function cellSource(cell: Cell): string {
  return joinText(cell.source);
}

/** A cell's own time limit in seconds (`metadata.gradlab.timeout`), or null to use the run's. */
export function cellTimeoutSeconds(cell: CodeCell): number | null {
  const own = cell.metadata['gradlab'];
  const timeout = isJsonObject(own) ? own['timeout'] : undefined;
  return typeof timeout === 'number' && Number.isFinite(timeout) && timeout >= 0 ? timeout : null;
}

/** Cell tags from `metadata.tags`. */
export function cellTags(cell: CodeCell): string[] {
  const tags = cell.metadata['tags'];
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

/** The kernel name a notebook asks for (`metadata.kernelspec.name`), or null when it names none. */
export function notebookKernelName(notebook: Notebook): string | null {
  const spec = notebook.metadata['kernelspec'];
  if (isJsonObject(spec) && typeof spec['name'] === 'string' && spec['name'] !== '') return spec['name'];
  return null;
}

/** Line and column (1-based) of a character offset in text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

/**
 * Where JSON.parse failed: its "at position N" (exact), or else the start of the excerpt it quotes
 * ("...text..." is not valid JSON), which is only near the error.
 */
function jsonErrorOffset(text: string, message: string): { offset: number; exact: boolean } | null {
  const position = /at position (\d+)/.exec(message);
  if (position) return { offset: Number(position[1]), exact: true };
  const excerpt = /"(?:\.\.\.)?([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(message)?.[1];
  if (excerpt === undefined || excerpt === '') return null;
  const at = text.indexOf(excerpt);
  return at < 0 || text.indexOf(excerpt, at + 1) >= 0 ? null : { offset: at, exact: false };
}

function isMultiline(value: unknown): value is MultilineString {
  return typeof value === 'string' || (Array.isArray(value) && value.every((line) => typeof line === 'string'));
}

function checkOutput(value: unknown, where: string, fail: (message: string) => never): Output {
  if (!isJsonObject(value)) return fail(`${where} must be an object`);
  const type = value['output_type'];
  switch (type) {
    case 'stream':
      if (value['name'] !== 'stdout' && value['name'] !== 'stderr') fail(`${where}.name must be "stdout" or "stderr", got ${JSON.stringify(value['name'])}`);
      if (!isMultiline(value['text'])) fail(`${where}.text must be a string or string[]`);
      break;
    case 'display_data':
    case 'execute_result':
      if (!isJsonObject(value['data'])) fail(`${where}.data must be an object`);
      if (value['metadata'] === undefined) value['metadata'] = {};
      if (!isJsonObject(value['metadata'])) fail(`${where}.metadata must be an object`);
      break;
    case 'error':
      if (typeof value['ename'] !== 'string' || typeof value['evalue'] !== 'string') fail(`${where} needs string ename and evalue`);
      if (!Array.isArray(value['traceback'])) fail(`${where}.traceback must be a string[]`);
      break;
    default:
      fail(`${where}.output_type ${JSON.stringify(type)} is not one of stream, display_data, execute_result, error`);
  }
  return value as unknown as Output;
}

function checkCell(value: unknown, where: string, fail: (message: string) => never): Cell {
  if (!isJsonObject(value)) return fail(`${where} must be an object`);
  const type = value['cell_type'];
  if (type !== 'code' && type !== 'markdown' && type !== 'raw') {
    fail(`${where}.cell_type ${JSON.stringify(type)} is not one of code, markdown, raw`);
  }
  if (!isMultiline(value['source'])) fail(`${where}.source must be a string or string[]`);
  if (value['metadata'] === undefined) value['metadata'] = {};
  if (!isJsonObject(value['metadata'])) fail(`${where}.metadata must be an object`);
  if (type === 'code') {
    if (value['outputs'] === undefined) value['outputs'] = [];
    const outputs = value['outputs'];
    if (!Array.isArray(outputs)) return fail(`${where}.outputs must be an array`);
    outputs.forEach((output, i) => checkOutput(output, `${where}.outputs[${i}]`, fail));
    const count = value['execution_count'];
    if (count === undefined) value['execution_count'] = null;
    else if (count !== null && typeof count !== 'number') fail(`${where}.execution_count must be a number or null`);
  }
  return value as unknown as Cell;
}

/** Parses notebook JSON text; throws NotebookFormatError naming `file` and the problem. */
export function parseNotebook(text: string, file: string): Notebook {
  const fail = (message: string): never => {
    throw new NotebookFormatError(`${file}: ${message}`);
  };
  if (text.trim() === '') return fail('the file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const place = jsonErrorOffset(text, message);
    if (place === null) return fail(`not valid JSON: ${message}`);
    const { line, column } = lineColumn(text, place.offset);
    // With the place known, V8's quoted excerpt of the text only adds noise.
    const reason = message.replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '').replace(/ in JSON at position \d+.*$/, '');
    return fail(`not valid JSON (${place.exact ? `line ${line}, column ${column}` : `near line ${line}`}): ${reason}`);
  }
  if (!isJsonObject(value)) return fail('a notebook must be a JSON object');
  if (value['nbformat'] !== 4) {
    return fail(`nbformat ${JSON.stringify(value['nbformat'])} is not supported; only nbformat 4 notebooks can run`);
  }
  if (value['nbformat_minor'] === undefined) value['nbformat_minor'] = 0;
  if (typeof value['nbformat_minor'] !== 'number') fail('nbformat_minor must be a number');
  if (value['metadata'] === undefined) value['metadata'] = {};
  if (!isJsonObject(value['metadata'])) fail('metadata must be an object');
  const cells = value['cells'];
  if (!Array.isArray(cells)) return fail('cells must be an array');
  cells.forEach((cell, i) => checkCell(cell, `cells[${i}]`, fail));
  return value as unknown as Notebook;
}

function sortKeys(_key: string, value: unknown): unknown {
  if (!isJsonObject(value)) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) sorted[key] = value[key];
  return sorted;
}

/** Notebook JSON as Jupyter writes it: keys sorted, one-space indent, trailing newline. */
export function serializeNotebook(notebook: Notebook): string {
  return JSON.stringify(notebook, sortKeys, 1) + '\n';
}

/** True for MIME types whose content is JSON (kept as a value, never split into lines). */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** A MIME bundle with text content split into lines, as nbformat stores it. */
export function storedMimeData(data: MimeData): MimeData {
  const stored: MimeData = {};
  for (const [mime, content] of Object.entries(data)) {
    stored[mime] = typeof content === 'string' && !isJsonMime(mime) ? splitLines(content) : content;
  }
  return stored;
}
