// Cross-check with a real peer: the sample notebook executed by Jupyter's nbclient (Python, from the
// project venv) and by gradlab's runner must give the same outputs, cell by cell (display ids and
// timings aside). The notebook has no failing cell: tslab aborts requests for 200 ms after an error,
// which nbclient does not wait out.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jupyterEnvVars, requireProjectVenv } from '../../src/cli/jupyterEnv';
import { CHARTS_NOTEBOOK, PROJECT_ROOT, requireBuild, scratchDir } from '../helpers/project';

const NBCLIENT_SCRIPT = `
import sys, nbformat
from nbclient import NotebookClient
source, target = sys.argv[1], sys.argv[2]
nb = nbformat.read(source, as_version=4)
NotebookClient(nb, kernel_name="tslab", timeout=120, resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, target)
`;

interface NormalCell {
  count: unknown;
  outputs: unknown[];
}

function text(value: unknown): unknown {
  return Array.isArray(value) ? value.join('') : value;
}

/** The parts of a code cell's outputs that must agree; display ids (pid and time) replaced. */
function normalize(file: string): NormalCell[] {
  const notebook = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Record<string, unknown>[] };
  return notebook.cells
    .filter((cell) => cell['cell_type'] === 'code')
    .map((cell) => {
      const outputs: Record<string, unknown>[] = [];
      for (const output of cell['outputs'] as Record<string, unknown>[]) {
        const type = output['output_type'];
        const last = outputs[outputs.length - 1];
        if (type === 'stream') {
          if (last !== undefined && last['type'] === 'stream' && last['name'] === output['name']) last['text'] = String(last['text']) + String(text(output['text']));
          else outputs.push({ type, name: output['name'], text: text(output['text']) });
        } else if (type === 'error') {
          outputs.push({ type, ename: output['ename'], evalue: output['evalue'] });
        } else {
          const data: Record<string, unknown> = {};
          for (const [mime, value] of Object.entries(output['data'] as Record<string, unknown>)) {
            const content = text(value);
            data[mime] = typeof content === 'string' ? content.replace(/gradlab-(plot|live)-\d+-[0-9a-z]+-\d+/g, 'gradlab-$1-ID') : content;
          }
          outputs.push({ type, data, metadata: output['metadata'] });
        }
      }
      return { count: cell['execution_count'], outputs };
    });
}

let work = '';
let fromNbclient = '';
let fromRunner = '';

// A missing prerequisite fails every test with its message (a failing beforeAll would mark them skipped).
let setupError: unknown = null;
function ready(): void {
  if (setupError !== null) throw setupError;
}

beforeAll(() => {
  try {
    setUp();
  } catch (error) {
    setupError = error;
  }
}, 300_000);

function setUp(): void {
  requireBuild();
  const env = requireProjectVenv(PROJECT_ROOT, 'The nbclient cross-check');
  const kernelJson = path.join(PROJECT_ROOT, '.jupyter', 'kernels', 'tslab', 'kernel.json');
  if (!fs.existsSync(kernelJson)) throw new Error(`${kernelJson} is missing: run \`npm run setup\` (npm install does) to register the kernel`);
  const python = env.python;
  if (python === null) throw new Error('the nbclient cross-check needs the project venv python');
  work = scratchDir('nbclient');
  const notebook = path.join(work, 'charts.ipynb');
  fs.copyFileSync(CHARTS_NOTEBOOK, notebook);
  fs.writeFileSync(path.join(work, 'run_nbclient.py'), NBCLIENT_SCRIPT);
  fromNbclient = path.join(work, 'nbclient.ipynb');
  let started = Date.now();
  execFileSync(python, [path.join(work, 'run_nbclient.py'), notebook, fromNbclient, work], {
    cwd: work,
    env: jupyterEnvVars(PROJECT_ROOT),
    stdio: 'pipe',
    timeout: 180_000,
  });
  console.log(`nbclient: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  started = Date.now();
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'notebooks.js'), notebook, '--out', path.join(work, 'runner'), '--no-site'], {
    cwd: PROJECT_ROOT,
    stdio: 'pipe',
    timeout: 180_000,
  });
  console.log(`runner: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  fromRunner = path.join(work, 'runner', 'charts.ipynb');
}

afterAll(() => {
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('runner and nbclient', () => {
  it('produce the same outputs and execution counts for every code cell', () => {
    ready();
    const peer = normalize(fromNbclient);
    const ours = normalize(fromRunner);
    expect(peer.map((cell) => cell.count)).toEqual([1, 2, 3, 4, 5]);
    expect(ours).toEqual(peer);
  });

  it('the compared outputs hold the charts, the live chart in its final state, the text and the test result', () => {
    ready();
    const cells = normalize(fromRunner);
    const mimes = cells.flatMap((cell) => cell.outputs.map((o) => Object.keys((o as { data?: object }).data ?? {}).sort().join(' ')));
    expect(mimes).toEqual([
      'application/vnd.plotly.v1+json text/html text/plain',
      '',
      'application/vnd.plotly.v1+json text/html text/plain',
      'application/vnd.gradlab.test+json text/html text/plain',
    ]);
    const live = cells[3]?.outputs[0] as { data: Record<string, { data: { y: number[] }[] }> };
    expect(live.data['application/vnd.plotly.v1+json']?.data[0]?.y).toEqual([1, 0.5, 0.3, 0.2]);
    expect(cells[2]?.outputs).toEqual([{ type: 'stream', name: 'stdout', text: 'mean loss 0.5\n' }]);
  });
});
