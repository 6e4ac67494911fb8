/**
 * What `npm start` shows of JupyterLab's log. The URL is printed once, by `npm start` itself, so
 * Jupyter's own copies (three URLs, a file:// link, "Use Control-C ...", which `npm start` replaces)
 * are left out, as are two warnings that ask nothing of a student:
 * - "The websocket_ping_timeout (90000) cannot be longer than the websocket_ping_interval (30000)":
 *   jupyter_server passes its own keep-alive settings (milliseconds) to tornado >= 6.5, which reads
 *   them as seconds and complains; jupyter_server's own pings keep working;
 * - "Notebook X is not trusted": said of every notebook opened from disk; JupyterLab shows the trust
 *   state itself, and outputs made in the session are trusted.
 * Everything else passes unchanged.
 */

/** Jupyter log entries that `npm start` does not show; each test sees one entry's first line. */
const HIDDEN_ENTRIES: readonly RegExp[] = [
  /^\[C [^\]]*\]\s*$/, // the "To access the server, open this file ... or copy one of these URLs" banner
  /\] Jupyter Server \S+ is running at:\s*$/,
  /^\[I [^\]]*\]\s+https?:\/\/\S+\s*$/, // the URLs listed below "is running at:"
  /\] Use Control-C to stop this server/,
  /\] The websocket_ping_timeout \(\d+\) cannot be longer than the websocket_ping_interval/,
  /\] Notebook .* is not trusted\s*$/,
];

// A log entry starts with "[L yyyy-mm-dd hh:mm:ss.mmm Name]"; the lines after it up to the next entry belong to it.
const ENTRY_START = /^\[[DIWEC] \d{4}-\d\d-\d\d /;

/**
 * Returns a function to give Jupyter's output to, in chunks as it arrives; it passes whole lines on
 * to `write`, without the entries above.
 */
export function labLogFilter(write: (text: string) => void): (chunk: string) => void {
  let pending = '';
  let hiding = false;
  return (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    let shown = '';
    for (const line of lines) {
      if (ENTRY_START.test(line)) hiding = HIDDEN_ENTRIES.some((pattern) => pattern.test(line));
      if (!hiding) shown += `${line}\n`;
    }
    if (shown !== '') write(shown);
  };
}
