/**
 * Turning a cell's iopub messages into nbformat outputs, the way Jupyter front ends do: consecutive
 * stream text of one name is merged, `\r` overwrites the line (progress bars), `display_id`s let a
 * later `update_display_data` replace an earlier output (in any cell), and `clear_output` clears.
 * Huge outputs are capped with a note so one runaway print cannot produce a 10 MB notebook.
 */
import { TEST_RESULT_MIME } from '../../testing/notebookTest';
import {
  isJsonObject,
  splitLines,
  storedMimeData,
  type DisplayDataOutput,
  type ExecuteResultOutput,
  type JsonObject,
  type Output,
  type StreamOutput,
} from '../nbformat';
import type { JupyterMessage } from '../jupyter/protocol';

/** Per-cell caps, in bytes of UTF-8 text (streams) and of JSON (rich outputs). */
export interface OutputLimits {
  /** Each of stdout and stderr keeps at most this many bytes per cell. */
  readonly streamBytes: number;
  /** Rich outputs of one cell together keep at most this many bytes (test results are never dropped). */
  readonly displayBytes: number;
}

/** 1 MB of text per stream, 10 MB of rich output per cell. */
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { streamBytes: 1_000_000, displayBytes: 10_000_000 };

/** The note appended where output was cut: `[output truncated: N bytes omitted]`. */
export function truncationNote(omittedBytes: number): string {
  return `[output truncated: ${omittedBytes} bytes omitted]`;
}

type RichOutput = DisplayDataOutput | ExecuteResultOutput;

/** Rich outputs by display id, across the whole notebook, so updates find earlier cells' outputs. */
export class DisplayRegistry {
  private readonly outputs = new Map<string, RichOutput[]>();

  /** Remembers that `output` shows display `id`. */
  register(id: string, output: RichOutput): void {
    const list = this.outputs.get(id) ?? [];
    list.push(output);
    this.outputs.set(id, list);
  }

  /** Replaces data and metadata of every output showing `id`; returns how many were updated. */
  update(id: string, data: JsonObject, metadata: JsonObject): number {
    const list = this.outputs.get(id) ?? [];
    for (const output of list) {
      output.data = storedMimeData(data);
      output.metadata = metadata;
    }
    return list.length;
  }
}

/** Applies carriage returns the way a terminal (and nbconvert) does: text before `\r` on a line is overwritten. */
export function applyCarriageReturns(text: string): string {
  return text.replace(/\r+\n/g, '\n').replace(/^.*\r+/gm, '');
}

function utf8Prefix(text: string, maxBytes: number): string {
  const prefix = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  return prefix.endsWith('\uFFFD') ? prefix.slice(0, -1) : prefix;
}

const ERROR_TEXT_CHARS = 4000;

/** Collects the outputs of one cell execution from its iopub messages. */
export class CellOutputs {
  /** The cell's outputs in nbformat form (stream text is joined until `finish`). */
  readonly outputs: Output[] = [];
  private readonly used = { stdout: 0, stderr: 0, display: 0 };
  private readonly omitted = { stdout: 0, stderr: 0, display: 0 };
  private clearPending = false;
  private stderrHead = '';

  constructor(
    private readonly limits: OutputLimits,
    private readonly registry: DisplayRegistry,
  ) {}

  /** The first few KB of stderr written by the cell, kept even when the output was truncated. */
  get errorText(): string {
    return this.stderrHead;
  }

  /** Handles one iopub message whose parent is this cell's execute_request. */
  handle(message: JupyterMessage): void {
    const { content } = message;
    switch (message.header.msg_type) {
      case 'stream':
        if ((content['name'] === 'stdout' || content['name'] === 'stderr') && typeof content['text'] === 'string') {
          this.addStream(content['name'], content['text']);
        }
        break;
      case 'display_data':
      case 'execute_result':
        if (isJsonObject(content['data'])) this.addRich(message.header.msg_type, content);
        break;
      case 'update_display_data': {
        const id = displayId(content);
        if (id !== null && isJsonObject(content['data'])) {
          this.registry.update(id, content['data'], isJsonObject(content['metadata']) ? content['metadata'] : {});
        }
        break;
      }
      case 'error':
        this.beforeOutput();
        this.outputs.push({
          output_type: 'error',
          ename: String(content['ename'] ?? 'Error'),
          evalue: String(content['evalue'] ?? ''),
          traceback: Array.isArray(content['traceback']) ? content['traceback'].map(String) : [],
        });
        break;
      case 'clear_output':
        if (content['wait'] === true) this.clearPending = true;
        else this.clear();
        break;
      default:
        break; // status, execute_input, comm messages: nothing to store
    }
  }

  /** Adds an error output written by the runner itself (timeout, dead kernel). */
  addError(ename: string, evalue: string): void {
    this.outputs.push({ output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] });
  }

  /** Converts streams to stored form (lines, carriage returns applied) and adds truncation notes. */
  finish(): Output[] {
    for (const name of ['stdout', 'stderr'] as const) {
      if (this.omitted[name] === 0) continue;
      const last = [...this.outputs].reverse().find((o): o is StreamOutput => o.output_type === 'stream' && o.name === name);
      const note = truncationNote(this.omitted[name]) + '\n';
      if (last === undefined) this.outputs.push({ output_type: 'stream', name, text: note });
      else {
        const text = typeof last.text === 'string' ? last.text : last.text.join('');
        last.text = text + (text.endsWith('\n') || text === '' ? '' : '\n') + note;
      }
    }
    if (this.omitted.display > 0) {
      this.outputs.push({ output_type: 'stream', name: 'stdout', text: truncationNote(this.omitted.display) + '\n' });
    }
    for (const output of this.outputs) {
      if (output.output_type === 'stream' && typeof output.text === 'string') {
        output.text = splitLines(applyCarriageReturns(output.text));
      }
    }
    this.omitted.stdout = this.omitted.stderr = this.omitted.display = 0;
    return this.outputs;
  }

  private clear(): void {
    this.outputs.length = 0;
    this.used.stdout = this.used.stderr = this.used.display = 0;
    this.omitted.stdout = this.omitted.stderr = this.omitted.display = 0;
    this.clearPending = false;
  }

  private beforeOutput(): void {
    if (this.clearPending) this.clear();
  }

  private addStream(name: 'stdout' | 'stderr', text: string): void {
    this.beforeOutput();
    if (name === 'stderr' && this.stderrHead.length < ERROR_TEXT_CHARS) {
      this.stderrHead = (this.stderrHead + text).slice(0, ERROR_TEXT_CHARS);
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    const room = this.limits.streamBytes - this.used[name];
    let kept = text;
    if (bytes > room) {
      kept = room > 0 ? utf8Prefix(text, room) : '';
      this.omitted[name] += bytes - Buffer.byteLength(kept, 'utf8');
    }
    this.used[name] += Buffer.byteLength(kept, 'utf8');
    if (kept === '') return;
    const last = this.outputs[this.outputs.length - 1];
    if (last !== undefined && last.output_type === 'stream' && last.name === name && typeof last.text === 'string') {
      last.text += kept;
    } else {
      this.outputs.push({ output_type: 'stream', name, text: kept });
    }
  }

  private addRich(type: 'display_data' | 'execute_result', content: JsonObject): void {
    this.beforeOutput();
    const data = content['data'] as JsonObject;
    const metadata = isJsonObject(content['metadata']) ? content['metadata'] : {};
    const bytes = Buffer.byteLength(JSON.stringify(data), 'utf8');
    const isTestResult = TEST_RESULT_MIME in data;
    if (!isTestResult && this.used.display + bytes > this.limits.displayBytes) {
      this.omitted.display += bytes;
      return;
    }
    this.used.display += bytes;
    const output: RichOutput =
      type === 'display_data'
        ? { output_type: 'display_data', data: storedMimeData(data), metadata }
        : {
            output_type: 'execute_result',
            execution_count: typeof content['execution_count'] === 'number' ? content['execution_count'] : null,
            data: storedMimeData(data),
            metadata,
          };
    this.outputs.push(output);
    const id = displayId(content);
    if (id !== null) {
      // A new display with a known id also refreshes the earlier outputs showing it, as nbclient does.
      this.registry.update(id, data, metadata);
      this.registry.register(id, output);
    }
  }
}

function displayId(content: JsonObject): string | null {
  const transient = content['transient'];
  if (!isJsonObject(transient)) return null;
  const id = transient['display_id'];
  return typeof id === 'string' && id !== '' ? id : null;
}
