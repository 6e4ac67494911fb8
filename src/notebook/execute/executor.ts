/**
 * Runs a notebook's code cells one by one on a kernel and stores their outputs in the notebook.
 *
 * Every cell runs, whatever happened before (later independent cells still produce results), and
 * tslab's quirks are handled here:
 * - after an error reply tslab answers `abort` to requests for 200 ms, so the next request waits a
 *   little, and a cell answered with `abort` is sent again rather than counted;
 * - a cell over its time limit gets SIGINT; if no reply follows, the kernel is killed and restarted;
 * - a kernel that dies (`process.exit()`, a crash, running out of memory) is reported on its cell
 *   and restarted;
 * - with a time budget for the whole run, the cell running when it runs out is stopped and the
 *   cells after it do not run.
 */
import { describeExit, KernelManager, type KernelExit, type KernelStartOptions } from '../jupyter/kernelManager';
import type { KernelSpec } from '../jupyter/kernelSpec';
import { cellSource, cellTags, cellTimeoutSeconds, type CodeCell, type Notebook } from '../nbformat';
import { isOutOfMemory } from '../jupyter/memoryLimit';
import { CellOutputs, DEFAULT_OUTPUT_LIMITS, DisplayRegistry, type OutputLimits } from './outputs';
import type { JupyterMessage } from '../jupyter/protocol';

/** What happened to one code cell. */
export type CellStatus = 'ok' | 'error' | 'timeout' | 'died' | 'not-run';

/** The run of one code cell. */
export interface CellRun {
  /** Index of the cell in `notebook.cells`. */
  readonly index: number;
  readonly status: CellStatus;
  /** The cell is tagged `raises-exception`, so an error there is expected. */
  readonly expectedError: boolean;
  /** Why the cell failed or did not run ('' when it ran fine). */
  readonly message: string;
  readonly seconds: number;
}

/** The run of a whole notebook. */
export interface ExecutionReport {
  readonly cells: CellRun[];
  /** Seconds from launching the kernel until it answered. */
  readonly kernelStartSeconds: number;
  /** Seconds from launching the kernel until the first cell's reply (NaN when no cell ran). */
  readonly firstReplySeconds: number;
  readonly restarts: number;
  /** Seconds spent running earlier cells again after restarts (part of the cells' own seconds). */
  readonly replaySeconds: number;
  /** Requests tslab answered with `abort` (each was sent again). */
  readonly aborted: number;
  /** Why the kernel could not be started at all (no cell ran), or null. */
  readonly startFailure: string | null;
  /** Notebook-level events: kernel restarts between cells, a kernel that could not be (re)started. */
  readonly notes: string[];
}

/** Options for running a notebook. */
export interface ExecuteOptions {
  readonly spec: KernelSpec;
  /** The kernel's working directory: the notebook's folder, as in Jupyter. */
  readonly cwd: string;
  /** Per-cell time limit in ms; 0 means none. A cell's `metadata.gradlab.timeout` (seconds) overrides it. */
  readonly timeoutMs: number;
  readonly limits?: OutputLimits;
  /** How long an interrupted cell may take to reply before the kernel is restarted. */
  readonly interruptGraceMs?: number;
  /** Pause after an error reply, longer than tslab's 200 ms abort window. */
  readonly errorPauseMs?: number;
  /** Pause before re-sending a cell that tslab answered with `abort`. */
  readonly abortRetryMs?: number;
  readonly startTimeoutMs?: number;
  /** How the kernel process is started: its environment, transport and a command wrapper (a sandbox). */
  readonly launch?: Pick<KernelStartOptions, 'env' | 'transport' | 'wrapCommand' | 'memoryLimitMb'>;
  /**
   * Time for the whole run in ms, from the kernel's first answer (restarts and replays included);
   * 0 or unset: none. The cell running when it is spent is stopped, and later cells do not run.
   */
  readonly budgetMs?: number;
  /** What the budget is called in messages ("<name> of N s exhausted"); default "time budget". */
  readonly budgetName?: string;
  /**
   * After a kernel dies or is killed (a crash, a timed-out cell), run the cells that succeeded before
   * it again (outputs discarded) so later cells find their state; the cell that killed it is skipped.
   * A cell whose error says memory ran out also restarts the kernel, freeing what it holds.
   */
  readonly replayAfterRestart?: boolean;
  /** Indexes (in `notebook.cells`) of code cells not to run: they get no outputs and no CellRun. */
  readonly skipCells?: ReadonlySet<number>;
  /** Called before each code cell runs: position is 1-based among the cells that run. */
  readonly onCell?: (index: number, position: number, total: number) => void;
}

const MAX_ABORT_RETRIES = 20;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const ERROR_LINE = /^(?:Uncaught\s+)?(?:[A-Z][\w$]*)?(?:Error|Exception)\b/;

/**
 * The line of a cell's stderr that says what went wrong, shortened for one-line reports: the first
 * `SomeError: message` line of a stack trace, else the first non-empty line (tslab's type errors).
 */
export function errorSummary(text: string, maxChars = 200): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.find((l) => ERROR_LINE.test(l)) ?? lines[0] ?? '';
  return line.length > maxChars ? line.slice(0, maxChars - 1) + '…' : line;
}

type Outcome =
  | { kind: 'reply'; message: JupyterMessage }
  | { kind: 'exit'; exit: KernelExit }
  | { kind: 'timeout' }
  | { kind: 'lost'; error: string };

/** Runs all code cells of `notebook` in place (outputs, execution counts) and reports each cell. */
export async function executeNotebook(notebook: Notebook, options: ExecuteOptions): Promise<ExecutionReport> {
  const run = new NotebookRun(notebook, options);
  return run.execute();
}

class NotebookRun {
  private kernel: KernelManager | null = null;
  private readonly registry = new DisplayRegistry();
  private readonly routes = new Map<string, CellOutputs>();
  private readonly idle = new Set<string>();
  private readonly collectors: CellOutputs[] = [];
  private readonly notes: string[] = [];
  private restarts = 0;
  private replaySeconds = 0;
  private aborted = 0;
  private pauseUntil = 0;
  private launchedAt = 0;
  private firstReplyAt = NaN;
  private broken: string | null = null;
  private startFailure: string | null = null;
  private budgetDeadline = Infinity;
  /** Cells that ran without error, in order: what a replay runs again. */
  private readonly succeeded: CodeCell[] = [];

  constructor(
    private readonly notebook: Notebook,
    private readonly options: ExecuteOptions,
  ) {}

  async execute(): Promise<ExecutionReport> {
    const cells = this.notebook.cells.flatMap((cell, index) => (cell.cell_type === 'code' ? [{ cell, index }] : []));
    for (const { cell } of cells) {
      cell.outputs = [];
      cell.execution_count = null;
    }
    const toRun = cells.filter(({ cell, index }) => cellSource(cell).trim() !== '' && this.options.skipCells?.has(index) !== true);
    const runs: CellRun[] = [];
    this.launchedAt = Date.now();
    let kernelStartSeconds = NaN;
    try {
      if (toRun.length > 0) {
        await this.startKernel();
        kernelStartSeconds = (Date.now() - this.launchedAt) / 1000;
        const budgetMs = this.options.budgetMs ?? 0;
        if (budgetMs > 0) this.budgetDeadline = Date.now() + budgetMs;
      }
      for (const [position, { cell, index }] of toRun.entries()) {
        this.options.onCell?.(index, position + 1, toRun.length);
        const run = await this.runCell(cell, index);
        if (run.status === 'ok') this.succeeded.push(cell);
        runs.push(run);
      }
    } finally {
      if (this.kernel !== null) await this.kernel.shutdown();
      for (const collector of this.collectors) collector.finish();
    }
    return {
      cells: runs,
      kernelStartSeconds,
      firstReplySeconds: (this.firstReplyAt - this.launchedAt) / 1000,
      restarts: this.restarts,
      replaySeconds: this.replaySeconds,
      aborted: this.aborted,
      startFailure: this.startFailure,
      notes: this.notes,
    };
  }

  private async startKernel(): Promise<void> {
    try {
      this.kernel = await KernelManager.start(this.options.spec, {
        ...this.options.launch,
        cwd: this.options.cwd,
        startTimeoutMs: this.options.startTimeoutMs,
      });
      this.listen();
    } catch (error) {
      this.broken = error instanceof Error ? error.message : String(error);
      this.startFailure = this.broken;
    }
  }

  private listen(): void {
    this.kernel?.client.onIopub((message) => {
      const parent = message.parentHeader.msg_id;
      if (parent === undefined) return;
      if (message.header.msg_type === 'status' && message.content['execution_state'] === 'idle') this.idle.add(parent);
      this.routes.get(parent)?.handle(message);
    });
  }

  /** Kills and starts the kernel again; on failure later cells are reported as not run. */
  private async restart(reason: string): Promise<string> {
    const kernel = this.kernel;
    if (kernel === null) return 'no kernel to restart';
    if (this.budgetSpent()) return this.stopForBudget();
    try {
      await kernel.restart();
      this.restarts += 1;
      this.listen();
      if (this.options.replayAfterRestart !== true) return 'kernel restarted; later cells run without the state of earlier ones';
      return await this.replay();
    } catch (error) {
      this.broken = `kernel could not be restarted after ${reason}: ${error instanceof Error ? error.message : String(error)}`;
      this.notes.push(this.broken);
      return 'kernel could not be restarted';
    }
  }

  /** Runs the cells that succeeded so far again on the fresh kernel, discarding their outputs. */
  private async replay(): Promise<string> {
    const kernel = this.kernel;
    if (kernel === null || this.succeeded.length === 0) return 'kernel restarted';
    const started = Date.now();
    try {
      return await this.replayCells(kernel, started);
    } finally {
      this.replaySeconds += (Date.now() - started) / 1000;
    }
  }

  private async replayCells(kernel: KernelManager, started: number): Promise<string> {
    const deadline = Math.min(this.budgetDeadline, this.options.timeoutMs > 0 ? started + this.options.timeoutMs * Math.max(1, this.succeeded.length) : Infinity);
    for (const cell of this.succeeded) {
      let outcome: Outcome = { kind: 'lost', error: 'not sent' };
      for (let attempt = 0; attempt <= MAX_ABORT_RETRIES; attempt += 1) {
        const wait = this.pauseUntil - Date.now();
        if (wait > 0) await sleep(wait);
        const request = kernel.client.request('shell', 'execute_request', {
          code: cellSource(cell),
          silent: true,
          store_history: false,
          user_expressions: {},
          allow_stdin: false,
          stop_on_error: false,
        });
        outcome = await this.await(request.reply, kernel.exited, deadline);
        kernel.client.forget(request.msgId);
        if (outcome.kind !== 'reply' || outcome.message.content['status'] !== 'abort') break;
        this.pauseUntil = Date.now() + (this.options.abortRetryMs ?? 300);
      }
      if (outcome.kind === 'timeout' && this.budgetSpent()) return this.stopForBudget();
      if (outcome.kind !== 'reply') {
        // The replay itself failed: start clean once more, without replaying, and go on.
        const reason = outcome.kind === 'timeout' ? 'timed out' : 'the kernel died again';
        try {
          await kernel.restart();
          this.restarts += 1;
          this.listen();
        } catch (error) {
          this.broken = `kernel could not be restarted after a failed replay: ${error instanceof Error ? error.message : String(error)}`;
          this.notes.push(this.broken);
          return 'kernel could not be restarted';
        }
        this.succeeded.length = 0;
        return `kernel restarted; replaying the earlier cells ${reason}, so later cells run without their state`;
      }
      if (outcome.message.content['status'] !== 'ok') this.pauseUntil = Date.now() + (this.options.errorPauseMs ?? 300);
    }
    // No time in the note: notes go into grades.csv, which must not depend on the machine's speed
    // (the time is in the report's replaySeconds).
    this.notes.push(`replayed ${this.succeeded.length} earlier cells`);
    return `kernel restarted; ${this.succeeded.length} earlier cells that succeeded were run again`;
  }

  private async runCell(cell: CodeCell, index: number): Promise<CellRun> {
    const started = Date.now();
    const expectedError = cellTags(cell).includes('raises-exception');
    const done = (status: CellStatus, message: string): CellRun => ({
      index,
      status,
      expectedError,
      message,
      seconds: (Date.now() - started) / 1000,
    });
    if (this.broken !== null || this.kernel === null) {
      return done('not-run', this.broken ?? 'no kernel');
    }
    if (this.budgetSpent()) return done('not-run', await this.stopForBudget());
    const kernel = this.kernel;
    if (!kernel.alive) {
      const exit = await kernel.exited;
      const note = `kernel died between cells, before cell ${index + 1} (${describeExit(exit)})`;
      this.notes.push(`${note}; ${await this.restart(note)}`);
      if (this.broken !== null) return done('not-run', this.broken);
    }
    const collector = new CellOutputs(this.options.limits ?? DEFAULT_OUTPUT_LIMITS, this.registry);
    this.collectors.push(collector);
    cell.outputs = collector.outputs;
    const own = cellTimeoutSeconds(cell);
    const timeoutMs = own === null ? this.options.timeoutMs : own * 1000;
    const deadline = Math.min(this.budgetDeadline, timeoutMs > 0 ? started + timeoutMs : Infinity);

    for (let attempt = 0; attempt <= MAX_ABORT_RETRIES; attempt += 1) {
      const wait = this.pauseUntil - Date.now();
      if (wait > 0) await sleep(wait);
      const client = kernel.client;
      const request = client.request('shell', 'execute_request', {
        code: cellSource(cell),
        silent: false,
        store_history: true,
        user_expressions: {},
        allow_stdin: false,
        stop_on_error: false,
      });
      this.routes.set(request.msgId, collector);
      let outcome = await this.await(request.reply, kernel.exited, deadline);
      if (outcome.kind === 'lost' && !kernel.alive) outcome = { kind: 'exit', exit: await kernel.exited };
      if (outcome.kind === 'reply') {
        if (Number.isNaN(this.firstReplyAt)) this.firstReplyAt = Date.now();
        const content = outcome.message.content;
        const status = content['status'];
        if (status === 'abort') {
          // tslab still refuses requests shortly after an earlier error: send the cell again.
          client.forget(request.msgId);
          this.aborted += 1;
          this.pauseUntil = Date.now() + (this.options.abortRetryMs ?? 300);
          continue;
        }
        cell.execution_count = typeof content['execution_count'] === 'number' ? content['execution_count'] : null;
        await this.waitIdle(request.msgId, 1000);
        if (status === 'ok') return done('ok', '');
        this.pauseUntil = Date.now() + (this.options.errorPauseMs ?? 300);
        const error = errorSummary(collector.errorText) || errorReplyText(content);
        if (this.options.replayAfterRestart === true && isOutOfMemory(collector.errorText)) {
          // The kernel may still hold what the cell allocated: start afresh rather than fail later cells.
          return done('error', `out of memory: ${error}; ${await this.restart('out of memory')}`);
        }
        return done('error', error);
      }
      if (outcome.kind === 'exit') {
        const what = `kernel died while running this cell (${describeExit(outcome.exit)})`;
        const after = await this.restart(what);
        collector.addError('DeadKernelError', `${what}; ${after}`);
        return done('died', `${what}; ${after}`);
      }
      if (outcome.kind === 'lost') {
        const what = `lost the connection to the kernel (${outcome.error})`;
        const after = await this.restart(what);
        collector.addError('DeadKernelError', `${what}; ${after}`);
        return done('died', `${what}; ${after}`);
      }
      if (this.budgetSpent()) {
        const message = await this.stopForBudget();
        collector.addError('CellTimeoutError', message);
        return done('timeout', message);
      }
      return this.interrupt(cell, timeoutMs, request.msgId, request.reply, collector, done);
    }
    return done('error', `tslab aborted this cell ${MAX_ABORT_RETRIES + 1} times in a row`);
  }

  private budgetSpent(): boolean {
    return Date.now() >= this.budgetDeadline;
  }

  /** Once the budget is spent: kill the kernel (no restart) so no later cell runs; returns why. */
  private async stopForBudget(): Promise<string> {
    if (this.broken !== null) return this.broken;
    const seconds = formatSeconds((this.options.budgetMs ?? 0) / 1000);
    this.broken = `${this.options.budgetName ?? 'time budget'} of ${seconds} s exhausted`;
    this.notes.push(this.broken);
    await this.kernel?.kill();
    return this.broken;
  }

  /** After a timeout: SIGINT, then kill and restart if the kernel does not reply in time. */
  private async interrupt(
    cell: CodeCell,
    timeoutMs: number,
    msgId: string,
    reply: Promise<JupyterMessage>,
    collector: CellOutputs,
    done: (status: CellStatus, message: string) => CellRun,
  ): Promise<CellRun> {
    const kernel = this.kernel;
    const limit = `timed out after ${formatSeconds(timeoutMs / 1000)} s`;
    if (kernel === null) return done('timeout', limit);
    kernel.interrupt();
    const grace = Date.now() + (this.options.interruptGraceMs ?? 3000);
    const outcome = await this.await(reply, kernel.exited, grace);
    let message: string;
    if (outcome.kind === 'reply' && (await kernel.client.heartbeat(2000))) {
      const count = outcome.message.content['execution_count'];
      if (typeof count === 'number') cell.execution_count = count;
      await this.waitIdle(msgId, 1000);
      this.pauseUntil = Date.now() + (this.options.errorPauseMs ?? 300);
      message = `${limit}; interrupted (SIGINT)`;
    } else {
      const why =
        outcome.kind === 'exit'
          ? `the kernel died on SIGINT (${describeExit(outcome.exit)})`
          : outcome.kind === 'reply'
            ? 'the kernel stopped answering heartbeats after SIGINT'
            : 'SIGINT did not stop it';
      message = `${limit}; ${why}; ${await this.restart(limit)}`;
    }
    collector.addError('CellTimeoutError', message);
    return done('timeout', message);
  }

  private async await(reply: Promise<JupyterMessage>, exited: Promise<KernelExit>, deadline: number): Promise<Outcome> {
    const timers: NodeJS.Timeout[] = [];
    const timeout = new Promise<Outcome>((resolve) => {
      if (deadline !== Infinity) timers.push(setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, deadline - Date.now())));
    });
    try {
      return await Promise.race<Outcome>([
        reply.then(
          (message): Outcome => ({ kind: 'reply', message }),
          (error: unknown): Outcome => ({ kind: 'lost', error: error instanceof Error ? error.message : String(error) }),
        ),
        // A dead process also rejects the reply; prefer the exit, which says how it died.
        exited.then((exit): Outcome => ({ kind: 'exit', exit })),
        timeout,
      ]);
    } finally {
      timers.forEach(clearTimeout);
    }
  }

  /** Waits for the kernel's idle status for a request, so outputs sent just before the reply are in. */
  private async waitIdle(msgId: string, maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while (!this.idle.has(msgId) && Date.now() < until && this.kernel?.alive === true) await sleep(5);
  }
}

function errorReplyText(content: Record<string, unknown>): string {
  const ename = typeof content['ename'] === 'string' ? content['ename'] : '';
  const evalue = typeof content['evalue'] === 'string' ? content['evalue'] : '';
  return ename !== '' || evalue !== '' ? `${ename}: ${evalue}` : 'the kernel reported an error without a message';
}

function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}
