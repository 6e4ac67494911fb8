/**
 * Kernel processes: starting a kernel from its kernelspec with a fresh connection file, and
 * interrupting, restarting, killing or shutting it down. A kernel's death is observed from its
 * process exit, so `process.exit()` in a cell is noticed at once.
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { isAbsolute, join } from 'path';
import { allocateConnection, allocateIpcConnection, writeConnectionFile } from './connection';
import { KernelClient, MissingDependencyError } from './kernelClient';
import { KernelStartError, type KernelSpec } from './kernelSpec';
import { isOutOfMemory, memoryLimitedCommand, withHeapLimit } from './memoryLimit';
import type { JupyterMessage } from './protocol';

/** How a kernel process ended. */
export interface KernelExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  readonly spawnError?: string;
  /** Its last output says it ran out of memory. */
  readonly outOfMemory?: boolean;
}

/** Options for starting a kernel. */
export interface KernelStartOptions {
  /** Working directory of the kernel; Jupyter uses the notebook's folder. */
  readonly cwd: string;
  /** How long the kernel may take to answer its first kernel_info_request. */
  readonly startTimeoutMs?: number;
  /** The kernel's whole environment before the kernelspec's `env` (default: this process's). */
  readonly env?: Readonly<Record<string, string>>;
  /** `ipc` puts the kernel's sockets in its runtime folder (default `tcp` on loopback). */
  readonly transport?: 'tcp' | 'ipc';
  /** Wraps the kernel command (e.g. in a sandbox); `runtimeDir` holds the connection file and sockets. */
  readonly wrapCommand?: (argv: readonly string[], runtimeDir: string) => string[];
  /** Caps the kernel's memory at this many MB, JS heap and everything outside it (see memoryLimit.ts); unset: no cap. */
  readonly memoryLimitMb?: number;
}

const TAIL_BYTES = 8192;
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every kernel still running when this process exits, so none is left behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settles within `ms`; the timer is cleared so it never holds the process open. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true, () => true), timeout]).finally(() => clearTimeout(timer));
}

/** The parent of every process, from Linux's /proc/<pid>/stat (empty elsewhere). */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return parents;
  }
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (Number.isInteger(ppid)) parents.set(Number(name), ppid);
    } catch {
      // The process ended while being read.
    }
  }
  return parents;
}

/** The processes below `pid` that have no children of their own, or [] when none are known. */
function leafProcesses(pid: number): number[] {
  const parents = parentsByPid();
  const childrenOf = (parent: number): number[] => [...parents].filter(([, p]) => p === parent).map(([child]) => child);
  const leaves = (at: number): number[] => {
    const children = childrenOf(at);
    return children.length === 0 ? [at] : children.flatMap(leaves);
  };
  return childrenOf(pid).flatMap(leaves);
}

/** Describes a process exit for messages: "exit code 1", "signal SIGKILL". */
export function describeExit(exit: KernelExit): string {
  if (exit.spawnError !== undefined) return `could not be started: ${exit.spawnError}`;
  const how = exit.signal !== null ? `killed by signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
  return exit.outOfMemory === true ? `out of memory, ${how}` : how;
}

/** One running kernel process and the client connected to it; `restart` replaces both. */
export class KernelManager {
  private child: ChildProcess | null = null;
  private clientValue: KernelClient | null = null;
  private exitedValue: Promise<KernelExit> = Promise.resolve({ code: null, signal: null });
  private exitValue: KernelExit | null = null;
  private tempDir: string | null = null;
  private tail = '';

  private constructor(
    readonly spec: KernelSpec,
    private readonly options: KernelStartOptions,
  ) {}

  /** Starts a kernel and waits until it answers on shell and publishes on iopub. */
  static async start(spec: KernelSpec, options: KernelStartOptions): Promise<KernelManager> {
    const manager = new KernelManager(spec, options);
    await manager.launch();
    return manager;
  }

  /** The client of the current kernel process. */
  get client(): KernelClient {
    if (this.clientValue === null) throw new Error(`KernelManager: kernel '${this.spec.name}' is not running`);
    return this.clientValue;
  }

  /** Resolves when the current kernel process ends. */
  get exited(): Promise<KernelExit> {
    return this.exitedValue;
  }

  /** True while the current kernel process runs. */
  get alive(): boolean {
    return this.child !== null && this.exitValue === null;
  }

  /** The kernel process id, if running. */
  get pid(): number | undefined {
    return this.alive ? this.child?.pid : undefined;
  }

  /** The last few KB the kernel process wrote outside cells (start-up errors, crashes). */
  outputTail(): string {
    return this.tail;
  }

  /**
   * Sends SIGINT (tslab has no interrupt_request handler; its kernelspec has no interrupt_mode). A
   * wrapped kernel (a sandbox) gets it at its innermost processes, since a wrapper such as
   * bubblewrap would end on the signal instead of passing it on.
   */
  interrupt(): boolean {
    if (!this.alive || this.child === null) return false;
    const pid = this.child.pid;
    const leaves = this.options.wrapCommand !== undefined && pid !== undefined ? leafProcesses(pid) : [];
    if (leaves.length === 0) return this.child.kill('SIGINT');
    for (const leaf of leaves) {
      try {
        process.kill(leaf, 'SIGINT');
      } catch {
        // It ended in the meantime.
      }
    }
    return true;
  }

  /** Kills the kernel process (SIGKILL) and waits for it to end. */
  async kill(): Promise<void> {
    if (this.alive && this.child !== null) this.child.kill('SIGKILL');
    await this.exitedValue;
    this.cleanUp();
  }

  /** Asks the kernel to shut down; kills it if it has not exited after `timeoutMs`. */
  async shutdown(timeoutMs = 2000): Promise<void> {
    if (this.alive && this.clientValue !== null) {
      this.clientValue.request('control', 'shutdown_request', { restart: false });
      const ended = await settlesWithin(this.exitedValue, timeoutMs);
      if (!ended && this.child !== null) this.child.kill('SIGTERM');
      const terminated = ended || (await settlesWithin(this.exitedValue, 500));
      if (!terminated && this.child !== null) this.child.kill('SIGKILL');
    }
    await this.kill();
  }

  /** Kills the current kernel (if any) and starts a fresh one with new ports and key. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  private cleanUp(): void {
    this.clientValue?.close();
    this.clientValue = null;
    if (this.tempDir !== null) rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = null;
  }

  private async launch(): Promise<void> {
    const { spec } = this;
    const program = spec.argv[0] ?? '';
    for (const arg of spec.argv.slice(0, 2)) {
      if (isAbsolute(arg) && !existsSync(arg)) {
        throw new MissingDependencyError(
          `kernel '${spec.name}' (${spec.source}) needs ${arg}, which does not exist; run \`npm install\` in the project`,
        );
      }
    }
    const runtimeDir = mkdtempSync(join(tmpdir(), 'gradlab-kernel-'));
    this.tempDir = runtimeDir;
    const info = this.options.transport === 'ipc' ? allocateIpcConnection(spec.name, runtimeDir) : await allocateConnection(spec.name);
    // The client comes first: it needs zeromq, and without it no kernel should be left running.
    let client: KernelClient;
    try {
      client = new KernelClient(info);
    } catch (error) {
      this.cleanUp();
      throw error;
    }
    this.clientValue = client;
    const connectionFile = writeConnectionFile(runtimeDir, info);
    const argv = [program, ...spec.argv.slice(1).map((arg) => arg.replace('{connection_file}', connectionFile).replace('{resource_dir}', runtimeDir))];
    const memory = this.options.memoryLimitMb;
    const limited = memory === undefined ? argv : memoryLimitedCommand(argv, memory);
    const command = this.options.wrapCommand === undefined ? limited : this.options.wrapCommand(limited, runtimeDir);
    const env: Record<string, string | undefined> = { ...(this.options.env ?? process.env), ...spec.env };
    if (memory !== undefined) env['NODE_OPTIONS'] = withHeapLimit(env['NODE_OPTIONS'], memory);
    this.tail = '';
    this.exitValue = null;
    const child = spawn(command[0] ?? program, command.slice(1), {
      cwd: this.options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    installExitHook();
    liveChildren.add(child);
    const keepTail = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    child.stdout?.on('data', keepTail);
    child.stderr?.on('data', keepTail);
    this.exitedValue = new Promise<KernelExit>((resolve) => {
      const finish = (exit: KernelExit): void => {
        if (this.child === child && this.exitValue === null) this.exitValue = exit;
        liveChildren.delete(child);
        resolve(exit);
      };
      child.on('error', (error) => finish({ code: null, signal: null, spawnError: error.message }));
      // Output written just before the end (V8's "heap out of memory") may still be in the pipes at 'exit'.
      const closed = new Promise<void>((done) => child.once('close', () => done()));
      child.on('exit', (code, signal) => {
        void settlesWithin(closed, 250).then(() => finish({ code, signal, outOfMemory: isOutOfMemory(this.tail) }));
      });
    });
    void this.exitedValue.then((exit) => client.failPending(new Error(`kernel '${spec.name}' died (${describeExit(exit)})`)));
    try {
      await this.waitReady(client);
    } catch (error) {
      await this.kill();
      throw error;
    }
  }

  /** Repeats kernel_info_request until one is answered and its status messages arrive on iopub. */
  private async waitReady(client: KernelClient): Promise<void> {
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const sent = new Set<string>();
    let iopubSeen = false;
    const unsubscribe = client.onIopub((message: JupyterMessage) => {
      if (sent.has(message.parentHeader.msg_id ?? '')) iopubSeen = true;
    });
    try {
      while (Date.now() < deadline) {
        const request = client.request('shell', 'kernel_info_request', {});
        sent.add(request.msgId);
        const answered = await settlesWithin(Promise.race([request.reply, this.exitedValue]), 1000);
        if (!this.alive) {
          const exit = await this.exitedValue;
          const tail = this.tail.trim();
          const what = exit.spawnError === undefined ? `exited during start-up (${describeExit(exit)})` : describeExit(exit);
          const detail = tail === '' ? '' : `: ${tail.split('\n').slice(-5).join('\n')}`;
          throw new KernelStartError(`kernel '${this.spec.name}' ${what}${detail}`);
        }
        if (answered) {
          // The first status messages may be lost while the subscription is being set up.
          const until = Date.now() + 200;
          while (!iopubSeen && Date.now() < until) await sleep(10);
          if (iopubSeen) return;
        }
      }
      throw new KernelStartError(`kernel '${this.spec.name}' did not answer within ${Math.round(timeoutMs / 1000)} s of starting`);
    } finally {
      unsubscribe();
    }
  }
}
