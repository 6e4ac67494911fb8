/**
 * Starting JupyterLab on a folder with the project's kernel, and finding the URL it serves.
 * Shared by `npm start` and the browser test, so the test exercises what students run.
 */
import { spawn, type ChildProcess } from 'child_process';
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
  /** Inherit stdin, so Jupyter's Ctrl+C confirmation works in a terminal. */
  readonly interactive?: boolean;
}

/** A running JupyterLab server. */
export interface RunningLab {
  /** The URL of the lab page with its login token, e.g. `http://localhost:8888/lab?token=...`. */
  readonly url: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code when the server ends. */
  readonly exited: Promise<number | null>;
  /** Stops the server (SIGTERM; SIGKILL after 10 s) and waits for it to end. */
  stop(): Promise<void>;
}

// The URL counts once its line has ended: output arrives in chunks, and a chunk may end inside the token.
const URL_PATTERN = /(https?:\/\/(?:localhost|127\.0\.0\.1|\[[0-9a-f:]+\]|[\w.-]+):\d+\/lab\S*)\s/;

/** The arguments of `jupyter lab` for these options. */
export function labArgs(options: LabOptions): string[] {
  const args = ['lab', `--ServerApp.root_dir=${options.rootDir}`];
  if (!options.openBrowser) args.push('--no-browser');
  if (options.port !== undefined) args.push(`--ServerApp.port=${options.port}`);
  // Jupyter refuses to run as root (containers, CI machines) unless told it may.
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--allow-root');
  return args.concat(options.extraArgs ?? []);
}

/** Starts JupyterLab; resolves once it prints its URL, rejects if it exits first or takes over `timeoutMs`. */
export function startJupyterLab(env: JupyterEnv, options: LabOptions, timeoutMs = 120_000): Promise<RunningLab> {
  const child = spawn(env.jupyter, labArgs(options), {
    cwd: options.projectRoot,
    env: jupyterEnvVars(options.projectRoot),
    stdio: [options.interactive === true ? 'inherit' : 'ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
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
