/**
 * Starting JupyterLab on a folder with the project's kernel, and finding the URL it serves.
 * Shared by `npm start` and the browser test, so the test exercises what students run.
 */
import { spawn, type ChildProcess } from 'child_process';
import { onStopRequest, stopProcessTree } from './childProcesses';
import { ensureCourseLabSettings, labSettingsArgs } from './labSettings';
import { jupyterEnvVars, type JupyterEnv } from './jupyterEnv';

/** How to start JupyterLab. */
export interface LabOptions {
  readonly projectRoot: string;
  /** The folder JupyterLab shows (its root directory). */
  readonly rootDir: string;
  readonly port?: number;
  readonly openBrowser: boolean;
  /** More `jupyter lab` arguments, passed through as given. */
  readonly extraArgs?: readonly string[];
  /** Called with every chunk Jupyter prints (stdout and stderr). */
  readonly onOutput?: (text: string) => void;
  /**
   * Started by a user (`npm start`): JupyterLab runs in a process group of its own and stops, with
   * its kernels, when this process gets Ctrl+C, SIGTERM or SIGHUP or the command that started it
   * ends (see childProcesses.ts). One Ctrl+C is enough: Jupyter's own confirmation prompt is skipped.
   */
  readonly interactive?: boolean;
}

/** A running JupyterLab server. */
export interface RunningLab {
  /** The URL of the lab page with its login token, e.g. `http://localhost:8888/lab?token=...`. */
  readonly url: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code when the server ends. */
  readonly exited: Promise<number | null>;
  /** Stops the server and its kernels (SIGTERM; SIGKILL after 10 s) and waits for it to end. */
  stop(): Promise<void>;
}

// The URL counts once its line has ended: output arrives in chunks, and a chunk may end inside the token.
const URL_PATTERN = /(https?:\/\/(?:localhost|127\.0\.0\.1|\[[0-9a-f:]+\]|[\w.-]+):\d+\/lab\S*)\s/;

/** The arguments of `jupyter lab` for these options. */
export function labArgs(options: LabOptions): string[] {
  const args = ['lab', `--ServerApp.root_dir=${options.rootDir}`];
  if (!options.openBrowser) args.push('--no-browser');
  if (options.port !== undefined) args.push(`--ServerApp.port=${options.port}`);
  // Jupyter ignores an option given twice, so one the caller passes replaces the project's.
  const extra = options.extraArgs ?? [];
  const given = (arg: string): boolean => {
    const name = arg.slice(0, arg.indexOf('='));
    return extra.some((e) => e === name || e.startsWith(`${name}=`));
  };
  args.push(...labSettingsArgs(options.projectRoot).filter((arg) => !given(arg)));
  // Jupyter refuses to run as root (containers, CI machines) unless told it may.
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--allow-root');
  return args.concat(extra);
}

/** Starts JupyterLab; resolves once it prints its URL, rejects if it exits first or takes over `timeoutMs`. */
export function startJupyterLab(env: JupyterEnv, options: LabOptions, timeoutMs = 120_000): Promise<RunningLab> {
  ensureCourseLabSettings(options.projectRoot);
  const interactive = options.interactive === true;
  // In a group of its own (POSIX; on Windows `detached` would open a console), Jupyter does not get
  // the terminal's Ctrl+C, which would make it ask for confirmation: this process stops it instead.
  const ownGroup = interactive && process.platform !== 'win32';
  const child = spawn(env.jupyter, labArgs(options), {
    cwd: options.projectRoot,
    env: jupyterEnvVars(options.projectRoot),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const stop = (): Promise<void> => stopProcessTree(child, exited, ownGroup);
  if (interactive) {
    const stopWatching = onStopRequest(() => void stop());
    void exited.then(stopWatching);
  }
  return new Promise((resolve, reject) => {
    let seen = '';
    // Jupyter's own output goes into the error unless the caller already shows it.
    const tail = (): string => (options.onOutput === undefined ? `; its output:\n${seen.slice(-4000)}` : '');
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      void stop();
      reject(new Error(`jupyter lab printed no URL within ${timeoutMs / 1000} s${tail()}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      options.onOutput?.(text);
      if (settled) return;
      seen += text;
      const match = URL_PATTERN.exec(seen);
      if (match !== null) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: match[1] as string, process: child, exited, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`could not start ${env.jupyter}: ${error.message}`));
    });
    void exited.then((code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`jupyter lab exited (code ${code}) before serving${tail()}`));
    });
  });
}
