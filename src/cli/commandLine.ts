/** What every command's entry point shares: reading its arguments, and running `main` as a process. */

/**
 * Parses `argv` with `parse`. A parse error prints the message and the usage to stderr and gives exit
 * code 2; `--help` prints the usage and gives 0; otherwise the parsed arguments.
 */
export function parseOrExitCode<T extends { readonly help: boolean }>(argv: readonly string[], parse: (argv: readonly string[]) => T, usage: string): T | number {
  let args: T;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(usage);
    return 0;
  }
  return args;
}

/**
 * Runs `main` with the process's arguments and sets the exit code from it. Ctrl-C or SIGTERM exits at
 * once (the kernel manager's exit hook kills every kernel still running); an unexpected error is
 * printed under the command's `name` with exit code 1.
 */
export function runCommand(name: string, main: (argv: readonly string[]) => Promise<number>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** What `readOptions` found: each value option's values in order, the switches given, and the other arguments. */
export interface ReadOptions {
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly switches: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/**
 * Reads `argv` for `command`: `--name value` or `--name=value` for the `values` options, bare
 * `switches` (`-h`/`--help` always), anything else not starting with `-` as a positional argument.
 * Throws naming an unknown option or a missing value.
 */
export function readOptions(argv: readonly string[], spec: { values: readonly string[]; switches: readonly string[] }, command: string): ReadOptions {
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    if (spec.values.includes(flag)) {
      const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
      if (value === undefined || value === '') throw new Error(`${command}: ${flag} needs a value`);
      values.set(flag, [...(values.get(flag) ?? []), value]);
    } else if (equals < 0 && (spec.switches.includes(flag) || flag === '-h' || flag === '--help')) switches.add(flag === '-h' ? '--help' : flag);
    else if (arg.startsWith('-')) throw new Error(`${command}: unknown option ${arg}`);
    else positionals.push(arg);
  }
  return { values, switches, positionals };
}

/** `text` as a number >= `min` (an integer when `integer`); throws naming the option otherwise. */
export function numberOption(command: string, option: string, text: string, integer: boolean, min: number): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${command}: ${option} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got '${text}'`);
  }
  return value;
}
