#!/usr/bin/env node
/**
 * Builds lecture notebooks (.ipynb, nbformat 4.5, tslab kernel) from readable Markdown sources.
 *
 *   node notebooks/src/build.js notebooks/src/01-initialization.md [...]   # writes notebooks/01-initialization.ipynb
 *   node notebooks/src/build.js                                          # every notebooks/src/*.md
 *   node notebooks/src/build.js --check [...]                            # exits 1 if an .ipynb is stale
 *
 * Source format: Markdown text becomes markdown cells; a fenced block whose info string is exactly
 * `ts` becomes a code cell (other fences, e.g. `typescript`, stay inside the markdown). A line
 * `<!-- cell {json} -->` ends the current markdown cell and gives the next cell its metadata
 * (`{"nbgrader": {...}}`, `{"tags": [...]}`, `{"gradlab": {"timeout": 600, "skip_when_grading": true}}`);
 * `<!-- cell -->` alone just splits two markdown cells.
 * nbgrader metadata is checked and completed by the schema in src/notebook/nbgrader.ts (so `npm run
 * build` comes first): `schema_version: 3` and the defaults for the keys it leaves out. Cell ids
 * are the nbgrader `grade_id` when there is one, else `cell-<n>`, so rebuilding gives the same file.
 * The notebook is written without outputs.
 */
'use strict';
const fs = require('fs');
const path = require('path');

// Exactly what the project's kernelspec (src/cli/setup.ts) and tslab's kernel_info reply say, so that
// JupyterLab finds nothing to update when the kernel connects and does not mark the notebook modified.
const KERNELSPEC = { name: 'tslab', display_name: 'TypeScript (gradlab)', language: 'typescript' };
const LANGUAGE_INFO = {
  name: 'typescript',
  version: '3.7.2',
  file_extension: '.ts',
  mimetype: 'text/typescript',
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
};
const MARKER = /^<!--\s*cell(\s+(\{.*\}))?\s*-->\s*$/;
const FENCE = /^(`{3,})(.*)$/;

/** Splits a source text into cells: {cell_type, source, metadata}. */
function parseSource(text, file) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cells = [];
  let markdown = [];
  let pending = null; // metadata for the next cell
  const flushMarkdown = () => {
    const source = markdown.join('\n').trim();
    if (source !== '') {
      cells.push({ cell_type: 'markdown', source, metadata: pending ?? {} });
      pending = null;
    }
    markdown = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = MARKER.exec(line);
    if (marker) {
      flushMarkdown();
      if (marker[2] !== undefined) {
        try {
          pending = JSON.parse(marker[2]);
        } catch (error) {
          throw new Error(`${file}:${i + 1}: cell metadata is not valid JSON: ${error.message}`);
        }
      }
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence && fence[2].trim() === 'ts') {
      flushMarkdown();
      const body = [];
      let j = i + 1;
      while (j < lines.length && lines[j] !== fence[1]) body.push(lines[j++]);
      if (j === lines.length) throw new Error(`${file}:${i + 1}: code cell is not closed by ${fence[1]}`);
      cells.push({ cell_type: 'code', source: body.join('\n'), metadata: pending ?? {} });
      pending = null;
      i = j;
      continue;
    }
    if (fence) {
      // A fence of another language: copy it whole into the markdown (it may hold `<!-- cell -->` text).
      markdown.push(line);
      let j = i + 1;
      while (j < lines.length && lines[j] !== fence[1]) markdown.push(lines[j++]);
      if (j < lines.length) markdown.push(lines[j]);
      i = j;
      continue;
    }
    markdown.push(line);
  }
  flushMarkdown();
  return cells;
}

/** The nbgrader schema (src/notebook/nbgrader.ts), from the build. */
function loadSchema() {
  const file = path.join(__dirname, '..', '..', 'dist', 'notebook', 'nbgrader.js');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: the builder checks nbgrader metadata with the built schema; run npm run build`);
  return require(file);
}

/** nbgrader metadata with schema_version 3 and explicit defaults, checked by the schema. */
function nbgraderMetadata(meta, where) {
  return loadSchema().normalizeNbgrader(meta, where);
}

/** nbformat lines: every line but the last keeps its newline. */
function sourceLines(text) {
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((line) => line !== '');
}

/** Builds the notebook object from parsed cells. */
function buildNotebook(cells, file) {
  const ids = new Set();
  const nbCells = cells.map((cell, index) => {
    const where = `${file}: cell ${index + 1}`;
    const metadata = { ...cell.metadata };
    if (metadata.nbgrader !== undefined) metadata.nbgrader = nbgraderMetadata(metadata.nbgrader, where);
    let id = metadata.nbgrader !== undefined ? metadata.nbgrader.grade_id : `cell-${String(index + 1).padStart(3, '0')}`;
    if (ids.has(id)) throw new Error(`${where}: duplicate cell id ${id}`);
    ids.add(id);
    const base = { cell_type: cell.cell_type, id, metadata, source: sourceLines(cell.source) };
    return cell.cell_type === 'code' ? { ...base, execution_count: null, outputs: [] } : base;
  });
  return {
    cells: nbCells,
    metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** The .ipynb text for a source file (one space indentation, as Jupyter writes). */
function renderNotebook(sourceFile) {
  const cells = parseSource(fs.readFileSync(sourceFile, 'utf8'), sourceFile);
  return JSON.stringify(buildNotebook(cells, sourceFile), null, 1) + '\n';
}

/** notebooks/src/<name>.md -> notebooks/<name>.ipynb */
function targetFor(sourceFile) {
  return path.join(path.dirname(path.dirname(path.resolve(sourceFile))), `${path.basename(sourceFile, '.md')}.ipynb`);
}

function main(argv) {
  const check = argv.includes('--check');
  let files = argv.filter((a) => a !== '--check');
  if (files.length === 0) {
    files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.md') && f !== 'README.md').sort().map((f) => path.join(__dirname, f));
  }
  if (files.length === 0) {
    process.stderr.write(`usage: node notebooks/src/build.js [--check] [notebooks/src/<name>.md ...] (no sources in ${__dirname})\n`);
    return 2;
  }
  let stale = 0;
  for (const file of files) {
    const text = renderNotebook(file);
    const target = targetFor(file);
    const rel = path.relative(process.cwd(), target);
    if (check) {
      const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
      if (current !== text) {
        stale++;
        process.stderr.write(`${rel} is out of date with ${path.relative(process.cwd(), file)}; run npm run notebooks:build\n`);
      }
    } else {
      fs.writeFileSync(target, text);
      process.stdout.write(`wrote ${rel}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

module.exports = { parseSource, buildNotebook, renderNotebook, targetFor };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
