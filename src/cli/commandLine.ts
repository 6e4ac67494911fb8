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
