/**
 * Child servers that end with the command that started them.
 *
 * `npm start` runs `sh -c "node dist/cli/start.js"`, which runs JupyterLab, which runs kernels in
 * sessions of their own. npm hands SIGTERM to the shell, which dies without passing it on, and npm
 * itself dies on SIGHUP without passing anything on; either way this process is left running with
 * nobody to tell it to stop. So besides catching SIGINT, SIGTERM and SIGHUP, it watches the processes
 * above it (its parent, and npm above the shell) and stops when one of them is gone. Stopping means
 * SIGTERM to the server's process group (JupyterLab shuts its kernels down), SIGKILL after a grace
 * period, and then SIGKILL to any descendant that outlived it (a kernel of a server that was killed).
 */
import { spawnSync, type ChildProcess } from 'child_process';

/** The signals a user's "stop" arrives as: Ctrl+C, `kill`, a closed terminal. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** True while a process with this id exists (also when it belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every process id and its parent's, from `ps` (POSIX); empty where `ps` is missing. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  if (process.platform === 'win32') return table;
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (match !== null) table.set(Number(match[1]), Number(match[2]));
  }
  return table;
}

/** The ids of every process below `root` (children, their children, ...). */
export function descendantPids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of processTable()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * The processes whose end means "stop": the parent and, when npm started this process through a
 * shell (`npm_lifecycle_event` is set), the shell's parent, npm.
 */
export function watchedAncestors(): number[] {
  const parent = process.ppid;
  if (process.env['npm_lifecycle_event'] === undefined) return [parent];
  const grandparent = processTable().get(parent);
  return grandparent !== undefined && grandparent > 1 ? [parent, grandparent] : [parent];
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Stops `child` and everything below it: SIGTERM (to its process group when it leads one), SIGKILL
 * after `graceMs`, then SIGKILL to descendants still alive. Resolves once `child` has exited.
 */
export async function stopProcessTree(child: ChildProcess, exited: Promise<unknown>, ownGroup: boolean, graceMs = 10_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const below = descendantPids(pid);
  const signal = (name: NodeJS.Signals): void => sendSignal(ownGroup ? -pid : pid, name);
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  for (const survivor of below.filter(isAlive)) sendSignal(survivor, 'SIGKILL');
}

/**
 * Calls `stop` (once) when this process receives SIGINT, SIGTERM or SIGHUP, or when a watched
 * ancestor ends. Returns a function that removes the handlers and the watch.
 */
export function onStopRequest(stop: (reason: string) => void, pollMs = 500): () => void {
  let stopping = false;
  const request = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    stop(reason);
  };
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = (): void => request(signal);
    process.on(signal, handler);
    return { signal, handler };
  });
  const parent = process.ppid;
  const ancestors = watchedAncestors();
  const watch = setInterval(() => {
    if (process.ppid !== parent || !ancestors.every(isAlive)) request('the command that started it ended');
  }, pollMs);
  watch.unref();
  return () => {
    clearInterval(watch);
    for (const { signal, handler } of handlers) process.off(signal, handler);
  };
}
