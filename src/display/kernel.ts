/**
 * The bridge from gradlab to the notebook kernel's display channel.
 *
 * tslab's public `display` API sends one MIME type per call; a rich output (a chart that renders in
 * JupyterLab, VS Code and exported HTML, or a test result a grader reads) needs one display message
 * carrying several MIME types. tslab exposes the writer it uses itself as
 * `require('tslab/dist/jupyter').lastWriteDisplayData` while a cell runs; outside a kernel (plain
 * Node, tests, scripts) the text/plain form is printed instead.
 */

/** A display bundle: MIME type to content (strings, or JSON objects for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/** How a bundle is sent: `displayId` names an output that later `update` calls replace in place. */
export interface DisplayOptions {
  readonly displayId?: string;
  readonly update?: boolean;
  readonly metadata?: Record<string, unknown>;
}

type DisplayWriter = (
  content: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

type JupyterModule = { lastWriteDisplayData?: DisplayWriter | null };

/**
 * tslab's module, kept once found: later changes to `require` or the module cache (by code in a
 * notebook cell) cannot swap the channel that test results go through.
 */
let jupyterModule: JupyterModule | null = null;

/** The active kernel's display writer, or null when not running inside a tslab cell. */
function kernelWriter(): DisplayWriter | null {
  try {
    // Resolved at call time so that gradlab works without tslab installed (scripts, tests).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jupyterModule ??= require('tslab/dist/jupyter') as JupyterModule;
    return jupyterModule.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** True when code runs inside a tslab kernel cell (so rich outputs can be displayed). */
export function inKernel(): boolean {
  return kernelWriter() !== null;
}

/** Sends one display output with every form in `bundle`; prints its text/plain form outside a kernel. */
export function displayBundle(bundle: MimeBundle, options: DisplayOptions = {}): void {
  const writer = kernelWriter();
  if (writer === null) {
    const text = bundle['text/plain'];
    if (typeof text === 'string') process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    return;
  }
  const transient = options.displayId === undefined ? {} : { display_id: options.displayId };
  writer({ data: bundle, metadata: options.metadata ?? {}, transient }, options.update === true);
}

let displayCounter = 0;

/** A fresh display id, unique within this kernel process. */
export function newDisplayId(prefix = 'gradlab'): string {
  displayCounter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${displayCounter}`;
}
