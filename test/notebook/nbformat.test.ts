import { describe, expect, it } from 'vitest';
import { cellTags, cellTimeoutSeconds, NotebookFormatError, parseNotebook, serializeNotebook, splitLines, storedMimeData, type CodeCell } from '../../src/notebook/nbformat';

const minimal = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript' }, custom: { kept: true } },
  cells: [
    { cell_type: 'markdown', id: 'm', metadata: {}, source: ['# Title\n', 'text'] },
    { cell_type: 'code', id: 'c', metadata: { tags: ['x'] }, source: '1 + 1', outputs: [], execution_count: null },
  ],
};

describe('parseNotebook', () => {
  it('reads nbformat 4 and keeps fields it does not know', () => {
    const nb = parseNotebook(JSON.stringify(minimal), 'a.ipynb');
    expect(nb.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code']);
    expect(nb.metadata['custom']).toEqual({ kept: true });
  });

  it('fills optional fields a hand-written notebook may omit', () => {
    const nb = parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "code", "source": "1"}]}', 'a.ipynb');
    const cell = nb.cells[0];
    expect(cell?.cell_type === 'code' && cell.outputs).toEqual([]);
    expect(cell?.cell_type === 'code' && cell.execution_count).toBe(null);
    expect(nb.nbformat_minor).toBe(0);
  });

  it('names the file, the line and the problem for broken JSON', () => {
    const text = '{\n  "nbformat": 4,\n  "cells": [\n    {"cell_type": "code",,}\n  ]\n}';
    expect(() => parseNotebook(text, 'notebooks/bad.ipynb')).toThrow(NotebookFormatError);
    expect(() => parseNotebook(text, 'notebooks/bad.ipynb')).toThrow(/^notebooks\/bad\.ipynb: not valid JSON \(line 4, column \d+\)/);
    expect(() => parseNotebook('{"nbformat": 4, "cells": [', 'x.ipynb')).toThrow('x.ipynb: not valid JSON');
    expect(() => parseNotebook('  ', 'x.ipynb')).toThrow('x.ipynb: the file is empty');
  });

  it('names the place of a structural problem', () => {
    expect(() => parseNotebook('[]', 'x.ipynb')).toThrow('x.ipynb: a notebook must be a JSON object');
    expect(() => parseNotebook('{"nbformat": 3, "worksheets": []}', 'x.ipynb')).toThrow('x.ipynb: nbformat 3 is not supported');
    expect(() => parseNotebook('{"nbformat": 4}', 'x.ipynb')).toThrow('x.ipynb: cells must be an array');
    expect(() => parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "cod", "source": ""}]}', 'x.ipynb')).toThrow(
      'x.ipynb: cells[0].cell_type "cod" is not one of code, markdown, raw',
    );
    expect(() => parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}', 'x.ipynb')).toThrow(
      'x.ipynb: cells[0].source must be a string or string[]',
    );
    const badOutput = '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "name": "log", "text": ""}]}]}';
    expect(() => parseNotebook(badOutput, 'x.ipynb')).toThrow('x.ipynb: cells[0].outputs[0].name must be "stdout" or "stderr", got "log"');
  });
});

describe('serializeNotebook', () => {
  it('writes sorted keys with one-space indent and a final newline, and reads back the same', () => {
    const nb = parseNotebook(JSON.stringify(minimal), 'a.ipynb');
    const text = serializeNotebook(nb);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe(' "cells": [');
    expect(text.indexOf('"metadata"')).toBeLessThan(text.indexOf('"nbformat"'));
    expect(parseNotebook(text, 'a.ipynb')).toEqual(nb);
  });
});

describe('stored text', () => {
  it('splits into lines that keep their newline', () => {
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
    expect(splitLines('')).toEqual([]);
  });

  it('splits text MIME types but keeps JSON MIME types as values', () => {
    const json = { data: [1, 2] };
    expect(storedMimeData({ 'text/plain': 'a\nb', 'application/vnd.plotly.v1+json': json })).toEqual({
      'text/plain': ['a\n', 'b'],
      'application/vnd.plotly.v1+json': json,
    });
  });
});

describe('cell metadata', () => {
  const cell = (metadata: Record<string, unknown>): CodeCell => ({ cell_type: 'code', source: '', metadata, outputs: [], execution_count: null });

  it('cellTimeoutSeconds reads metadata.gradlab.timeout and ignores anything else', () => {
    expect(cellTimeoutSeconds(cell({ gradlab: { timeout: 2.5 } }))).toBe(2.5);
    expect(cellTimeoutSeconds(cell({ gradlab: { timeout: -1 } }))).toBeNull();
    expect(cellTimeoutSeconds(cell({ gradlab: { timeout: '5' } }))).toBeNull();
    expect(cellTimeoutSeconds(cell({ timeout: 3 }))).toBeNull();
  });

  it('cellTags keeps the string tags of metadata.tags', () => {
    expect(cellTags(cell({ tags: ['raises-exception', 3, 'x'] }))).toEqual(['raises-exception', 'x']);
    expect(cellTags(cell({ tags: 'raises-exception' }))).toEqual([]);
    expect(cellTags(cell({}))).toEqual([]);
  });
});
