import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/notebook/nbformat';
import { applyCarriageReturns, CellOutputs, DisplayRegistry, truncationNote } from '../../src/notebook/execute/outputs';
import { createMessage, type JupyterMessage } from '../../src/notebook/jupyter/protocol';
import { TEST_RESULT_MIME } from '../../src/testing/notebookTest';

const msg = (type: string, content: Record<string, unknown>): JupyterMessage => createMessage(type, content, 'kernel');
const stream = (name: string, text: string): JupyterMessage => msg('stream', { name, text });
const display = (data: Record<string, unknown>, id?: string): JupyterMessage =>
  msg('display_data', { data, metadata: {}, transient: id === undefined ? {} : { display_id: id } });

function collect(messages: JupyterMessage[], limits = { streamBytes: 1000, displayBytes: 1000 }, registry = new DisplayRegistry()): Output[] {
  const cell = new CellOutputs(limits, registry);
  messages.forEach((m) => cell.handle(m));
  return cell.finish();
}

describe('CellOutputs', () => {
  it('merges consecutive stream text of one name and keeps stdout/stderr order', () => {
    const outputs = collect([stream('stdout', 'a'), stream('stdout', 'b\n'), stream('stderr', 'warn\n'), stream('stdout', 'c\n')]);
    expect(outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: ['ab\n'] },
      { output_type: 'stream', name: 'stderr', text: ['warn\n'] },
      { output_type: 'stream', name: 'stdout', text: ['c\n'] },
    ]);
  });

  it('lets a carriage return overwrite its line, like a progress bar', () => {
    expect(applyCarriageReturns('epoch 1\repoch 2\repoch 3\ndone\r\n')).toBe('epoch 3\ndone\n');
    const outputs = collect([stream('stdout', '10%\r'), stream('stdout', '50%\r'), stream('stdout', '100%\n')]);
    expect(outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['100%\n'] }]);
  });

  it('stores display data with text split into lines and JSON kept whole', () => {
    const outputs = collect([display({ 'text/plain': 'a\nb', 'application/vnd.plotly.v1+json': { data: [] } })]);
    expect(outputs).toEqual([
      { output_type: 'display_data', data: { 'text/plain': ['a\n', 'b'], 'application/vnd.plotly.v1+json': { data: [] } }, metadata: {} },
    ]);
  });

  it('replaces an earlier output, even in an earlier cell, on update_display_data with its display_id', () => {
    const registry = new DisplayRegistry();
    const first = collect([display({ 'text/plain': 'epoch 0' }, 'curve'), display({ 'text/plain': 'other' }, 'x')], undefined, registry);
    const second = collect(
      [msg('update_display_data', { data: { 'text/plain': 'epoch 9' }, metadata: { done: true }, transient: { display_id: 'curve' } })],
      undefined,
      registry,
    );
    expect(second).toEqual([]);
    expect(first[0]).toEqual({ output_type: 'display_data', data: { 'text/plain': ['epoch 9'] }, metadata: { done: true } });
    expect(first[1]).toMatchObject({ data: { 'text/plain': ['other'] } });
    expect(JSON.stringify(first)).not.toContain('transient');
  });

  it('clears outputs on clear_output, or at the next output when asked to wait', () => {
    expect(collect([stream('stdout', 'old\n'), msg('clear_output', { wait: false }), stream('stdout', 'new\n')])).toEqual([
      { output_type: 'stream', name: 'stdout', text: ['new\n'] },
    ]);
    const waiting = new CellOutputs({ streamBytes: 100, displayBytes: 100 }, new DisplayRegistry());
    waiting.handle(stream('stdout', 'old\n'));
    waiting.handle(msg('clear_output', { wait: true }));
    expect(waiting.outputs).toHaveLength(1);
    waiting.handle(stream('stdout', 'new\n'));
    expect(waiting.finish()).toEqual([{ output_type: 'stream', name: 'stdout', text: ['new\n'] }]);
  });

  it('caps each stream with a note saying how many bytes were left out', () => {
    const outputs = collect([stream('stdout', 'x'.repeat(600)), stream('stdout', 'y'.repeat(600)), stream('stderr', 'Error: boom\n')]);
    const text = outputs.filter((o) => o.output_type === 'stream' && o.name === 'stdout').map((o) => (o.output_type === 'stream' ? [o.text].flat().join('') : ''));
    expect(text.join('')).toBe('x'.repeat(600) + 'y'.repeat(400) + '\n' + truncationNote(200) + '\n');
    expect(truncationNote(200)).toBe('[output truncated: 200 bytes omitted]');
    // stderr has its own budget, so the error after a flood of prints is kept
    expect(outputs[outputs.length - 1]).toEqual({ output_type: 'stream', name: 'stderr', text: ['Error: boom\n'] });
  });

  it('drops rich outputs over the budget with a note, but never a test result', () => {
    const big = { 'text/html': 'h'.repeat(2000) };
    const result = { [TEST_RESULT_MIME]: { name: 't', points: 1, maxPoints: 1, passed: true, message: '' }, 'text/plain': 'ok' };
    const outputs = collect([display(big), display(result)], { streamBytes: 1000, displayBytes: 1000 });
    expect(outputs.map((o) => o.output_type)).toEqual(['display_data', 'stream']);
    expect(outputs[0]).toMatchObject({ data: { [TEST_RESULT_MIME]: { name: 't' } } });
    expect(outputs[1]).toEqual({ output_type: 'stream', name: 'stdout', text: [`[output truncated: ${JSON.stringify(big).length} bytes omitted]\n`] });
  });

  it('keeps the start of stderr for error messages even when the stream was capped', () => {
    const cell = new CellOutputs({ streamBytes: 5, displayBytes: 5 }, new DisplayRegistry());
    cell.handle(stream('stderr', 'TypeError: x is not a function\n'));
    expect(cell.errorText).toBe('TypeError: x is not a function\n');
  });
});
