import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { labLogFilter } from '../../src/cli/labLog';
import { COURSE_LAB_SETTINGS, ensureCourseLabSettings, labSettingFile, labSettingsArgs, labSettingsDir } from '../../src/cli/labSettings';
import { labArgs } from '../../src/cli/jupyterLab';

// JupyterLab 4.6's log on start, then on opening a notebook and connecting to its kernel (as printed here).
const TOKEN = '6e75643212135e6a2e8809ca46befbbea069eb99591b9121';
const LOG = `[I 2026-11-25 18:39:38.169 ServerApp] jupyterlab | extension was successfully loaded.
[I 2026-11-25 18:39:38.179 ServerApp] Serving notebooks from local directory: /p/notebooks
[I 2026-11-25 18:39:38.179 ServerApp] Jupyter Server 2.21.1 is running at:
[I 2026-11-25 18:39:38.179 ServerApp] http://localhost:8931/lab?token=${TOKEN}
[I 2026-11-25 18:39:38.179 ServerApp]     http://127.0.0.1:8931/lab?token=${TOKEN}
[I 2026-11-25 18:39:38.179 ServerApp] Use Control-C to stop this server and shut down all kernels (twice to skip confirmation).
[C 2026-11-25 18:39:38.191 ServerApp] 
    
    To access the server, open this file in a browser:
        file:///p/.jupyter/runtime/jpserver-14861-open.html
    Or copy and paste one of these URLs:
        http://localhost:8931/lab?token=${TOKEN}
        http://127.0.0.1:8931/lab?token=${TOKEN}
[W 2026-11-25 18:40:02.112 ServerApp] Notebook 01-initialization.ipynb is not trusted
[I 2026-11-25 18:40:02.913 ServerApp] Kernel started: 0b7c6a1e-52f4-4a43-8a0c-0f0a4f4f1a77
[W 2026-11-25 18:40:03.502 ServerApp] The websocket_ping_timeout (90000) cannot be longer than the websocket_ping_interval (30000).
    Setting websocket_ping_timeout=30000
[E 2026-11-25 18:40:09.001 ServerApp] Uncaught exception GET /api/contents/x
    Traceback (most recent call last):
      File "handlers.py", line 1
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm start's view of the JupyterLab log", () => {
  it('leaves out the URL banner and the two harmless warnings, and keeps everything else', () => {
    // Chunks end anywhere, also inside a line or a token, as pipes deliver them.
    for (const size of [1, 7, 64, LOG.length]) {
      let shown = '';
      const filter = labLogFilter((text) => (shown += text));
      for (let i = 0; i < LOG.length; i += size) filter(LOG.slice(i, i + size));
      expect(shown, `chunks of ${size}`).toBe(`[I 2026-11-25 18:39:38.169 ServerApp] jupyterlab | extension was successfully loaded.
[I 2026-11-25 18:39:38.179 ServerApp] Serving notebooks from local directory: /p/notebooks
[I 2026-11-25 18:40:02.913 ServerApp] Kernel started: 0b7c6a1e-52f4-4a43-8a0c-0f0a4f4f1a77
[E 2026-11-25 18:40:09.001 ServerApp] Uncaught exception GET /api/contents/x
    Traceback (most recent call last):
      File "handlers.py", line 1
`);
    }
  });

  it('shows a warning it does not know, and output that is not a log entry', () => {
    let shown = '';
    const filter = labLogFilter((text) => (shown += text));
    filter('[W 2026-11-25 18:40:03.502 ServerApp] 404 GET /api/kernels/x\nTraceback: something else\n');
    expect(shown).toBe('[W 2026-11-25 18:40:03.502 ServerApp] 404 GET /api/kernels/x\nTraceback: something else\n');
  });
});

describe("the project's JupyterLab settings", () => {
  it('keeps settings and workspaces in .jupyter/lab of the project', () => {
    expect(labSettingsArgs('/p')).toEqual([
      '--LabApp.user_settings_dir=/p/.jupyter/lab/user-settings',
      '--LabApp.workspaces_dir=/p/.jupyter/lab/workspaces',
    ]);
    expect(labArgs({ projectRoot: '/p', rootDir: '/p/notebooks', openBrowser: false })).toEqual(expect.arrayContaining(labSettingsArgs('/p')));
    // Jupyter ignores an option given twice: the caller's own folder replaces the project's.
    const own = labArgs({ projectRoot: '/p', rootDir: '/p/notebooks', openBrowser: false, extraArgs: ['--LabApp.user_settings_dir=/s'] });
    expect(own.filter((arg) => arg.startsWith('--LabApp.user_settings_dir'))).toEqual(['--LabApp.user_settings_dir=/s']);
    expect(own).toContain('--LabApp.workspaces_dir=/p/.jupyter/lab/workspaces');
    const spaced = labArgs({ projectRoot: '/p', rootDir: '/p/notebooks', openBrowser: false, extraArgs: ['--LabApp.workspaces_dir', '/w'] });
    expect(spaced.filter((arg) => arg.startsWith('--LabApp.workspaces_dir'))).toEqual(['--LabApp.workspaces_dir']);
  });

  it('writes the news prompt off once, and keeps a setting the user changed', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-lab-'));
    dirs.push(root);
    const file = labSettingFile(labSettingsDir(root), '@jupyterlab/apputils-extension:notification');
    expect(file).toBe(path.join(root, '.jupyter/lab/user-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings'));
    ensureCourseLabSettings(root);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ fetchNews: 'false' });
    expect(Object.keys(COURSE_LAB_SETTINGS)).toEqual(['@jupyterlab/apputils-extension:notification']);
    fs.writeFileSync(file, '{ "fetchNews": "true" }\n');
    ensureCourseLabSettings(root);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ fetchNews: 'true' });
  });

  it('names a malformed plugin id', () => {
    expect(() => labSettingFile('/s', 'notification')).toThrow('labSettingFile: a plugin id is "package:plugin", got "notification"');
  });
});
