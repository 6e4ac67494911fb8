/**
 * Where and how a submission's kernel runs: a fresh, empty work folder (with
 * `node_modules` pointing at the project's, so `import ... from "gradlab"` resolves), an environment
 * built from an allowlist (no inherited secrets or paths), and, where bubblewrap is installed, a
 * sandbox: the whole filesystem read-only, `/tmp` empty but for the work folder and the kernel's
 * runtime folder, the instructor's and students' folders replaced by empty read-only ones, and no network (the kernel talks to
 * the grader over Unix sockets in its runtime folder).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve, sep } from 'path';
import type { KernelStartOptions } from '../notebook/jupyter/kernelManager';

/** The usual install place of bubblewrap. */
export const BWRAP = '/usr/bin/bwrap';

/** Variables a kernel may inherit; everything else (tokens, INIT_CWD, npm_* ...) is dropped. */
export const ENV_ALLOWLIST: readonly string[] = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TERM'];

/** How submissions' kernels are isolated. */
export interface SandboxOptions {
  /** The project whose `node_modules` (tslab, gradlab) the kernel uses. */
  readonly projectRoot: string;
  /** Folders the kernel must not see (instructor sources, submissions, results). */
  readonly hidden: readonly string[];
  /** The bubblewrap binary, or null to run without it. */
  readonly bwrap: string | null;
}

/** One submission's run place; `dispose` removes it. */
export interface SandboxRun {
  readonly workDir: string;
  readonly launch: Pick<KernelStartOptions, 'env' | 'transport' | 'wrapCommand'>;
  dispose(): void;
}

/** The environment variable that names another bubblewrap binary (a wrapper, another install place). */
export const BWRAP_ENV = 'GRADLAB_BWRAP';

/** The bubblewrap binary to use (`$GRADLAB_BWRAP`, else /usr/bin/bwrap) when it exists, else null. */
export function findBwrap(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env[BWRAP_ENV];
  const path = chosen !== undefined && chosen !== '' ? chosen : BWRAP;
  return existsSync(path) ? path : null;
}

/** The allowlisted part of `env`, with HOME and TMPDIR set to the work folder. */
export function kernelEnvironment(env: NodeJS.ProcessEnv, workDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ENV_ALLOWLIST) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return { ...out, HOME: workDir, TMPDIR: workDir };
}

function contains(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/**
 * The bubblewrap command around `argv`: read-only root, fresh /dev, /proc and /tmp, the work and
 * runtime folders writable, `hidden` folders replaced by empty ones (except those holding the
 * project or the work folder, which must stay visible) and read-only, no network, no capabilities
 * (also when the grader runs as root), killed with the grader. A project that lives under /tmp is bound back (read-only) over the fresh /tmp, so the
 * kernel still finds gradlab, and folders hidden inside it stay hidden.
 */
export function bwrapCommand(bwrap: string, argv: readonly string[], dirs: { workDir: string; runtimeDir: string; projectRoot: string; hidden: readonly string[] }): string[] {
  const projectInTmp = contains('/tmp', dirs.projectRoot);
  const visible = (dir: string): boolean => !contains('/tmp', dir) || (projectInTmp && contains(dirs.projectRoot, dir));
  const hide = dirs.hidden
    .map((dir) => resolve(dir))
    .filter((dir) => existsSync(dir) && !contains(dir, dirs.projectRoot) && !contains(dir, dirs.workDir) && visible(dir))
    .flatMap((dir) => ['--tmpfs', dir, '--remount-ro', dir]);
  return [
    bwrap,
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
    ...(projectInTmp ? ['--ro-bind', dirs.projectRoot, dirs.projectRoot] : []),
    ...hide,
    '--bind', dirs.workDir, dirs.workDir,
    '--bind', dirs.runtimeDir, dirs.runtimeDir,
    '--chdir', dirs.workDir,
    '--unshare-net',
    '--unshare-pid',
    '--die-with-parent',
    '--new-session',
    // bubblewrap started by root keeps every capability for the child unless told otherwise.
    '--cap-drop', 'ALL',
    ...argv,
  ];
}

/** A fresh work folder and launch options for one submission's kernel. */
export function prepareSandbox(options: SandboxOptions): SandboxRun {
  const workDir = mkdtempSync(join(tmpdir(), 'gradlab-grade-'));
  symlinkSync(join(resolve(options.projectRoot), 'node_modules'), join(workDir, 'node_modules'), 'dir');
  const env = kernelEnvironment(process.env, workDir);
  const bwrap = options.bwrap;
  const launch: SandboxRun['launch'] =
    bwrap === null
      ? { env }
      : {
          env,
          transport: 'ipc',
          wrapCommand: (argv, runtimeDir) => bwrapCommand(bwrap, argv, { workDir, runtimeDir, projectRoot: resolve(options.projectRoot), hidden: options.hidden }),
        };
  return { workDir, launch, dispose: () => rmSync(workDir, { recursive: true, force: true }) };
}

const probed = new Map<string, string | null>();

/**
 * Why `bwrap` cannot set up the sandbox here (its own message, e.g. "No permissions to create new
 * namespace" in an unprivileged container), or null when it can. It runs `true` with the flags a
 * kernel gets, once per binary per process.
 */
export function bwrapFailure(bwrap: string): string | null {
  const known = probed.get(bwrap);
  if (known !== undefined) return known;
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-probe-'));
  let failure: string | null = null;
  try {
    const argv = bwrapCommand(bwrap, ['true'], { workDir: dir, runtimeDir: dir, projectRoot: dir, hidden: [] });
    const run = spawnSync(argv[0] ?? bwrap, argv.slice(1), { encoding: 'utf8', timeout: 10_000, env: kernelEnvironment(process.env, dir) });
    const said = (run.stderr ?? '').split('\n').map((line) => line.trim()).find((line) => line !== '');
    if (run.error !== undefined) failure = run.error.message;
    else if (run.status !== 0) failure = said ?? (run.signal !== null ? `killed by ${run.signal}` : `exit status ${String(run.status)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  probed.set(bwrap, failure);
  return failure;
}

/** Why bubblewrap fails on a usual machine, and the fix. */
const USERNS_HINT = 'Ubuntu 23.10 and later forbid the user namespaces it needs unless `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`; containers often do too';

/** The sandbox for a grading run: bubblewrap when it is there and works, else null and the warning to print once. */
export function chooseBwrap(env: NodeJS.ProcessEnv = process.env): { bwrap: string | null; warning: string | null } {
  const without = 'kernels run in a fresh folder with a filtered environment but without a sandbox';
  const bwrap = findBwrap(env);
  const chosen = env[BWRAP_ENV];
  if (bwrap === null) {
    const why = chosen !== undefined && chosen !== '' ? `${BWRAP_ENV} names ${chosen}, which does not exist` : 'bubblewrap (bwrap) is not installed';
    return { bwrap: null, warning: `${why}; ${without}` };
  }
  const failure = bwrapFailure(bwrap);
  if (failure !== null) return { bwrap: null, warning: `bubblewrap (${bwrap}) cannot create its sandbox here (${failure}); ${without}. ${USERNS_HINT}` };
  return { bwrap, warning: null };
}
