/**
 * The project's own JupyterLab settings, kept in `.jupyter/lab/` (never in the home directory):
 * the settings a user changes in JupyterLab and its workspaces are stored there, and the first
 * start writes the course's defaults: no "get notified about official Jupyter news?" prompt over
 * the notebook on first start.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The folder of JupyterLab's user settings for this project. */
export function labSettingsDir(projectRoot: string): string {
  return path.join(projectRoot, '.jupyter', 'lab', 'user-settings');
}

/** The folder of JupyterLab's workspaces (open tabs and layout) for this project. */
export function labWorkspacesDir(projectRoot: string): string {
  return path.join(projectRoot, '.jupyter', 'lab', 'workspaces');
}

/** The `jupyter lab` options that keep settings and workspaces in the project. */
export function labSettingsArgs(projectRoot: string): string[] {
  return [`--LabApp.user_settings_dir=${labSettingsDir(projectRoot)}`, `--LabApp.workspaces_dir=${labWorkspacesDir(projectRoot)}`];
}

/** The file of one plugin's settings under `settingsDir`, for a plugin id such as `@jupyterlab/apputils-extension:notification`. */
export function labSettingFile(settingsDir: string, plugin: string): string {
  const [pkg, name] = plugin.split(':');
  if (pkg === undefined || name === undefined || name === '') {
    throw new Error(`labSettingFile: a plugin id is "package:plugin", got ${JSON.stringify(plugin)}`);
  }
  return path.join(settingsDir, ...pkg.split('/'), `${name}.jupyterlab-settings`);
}

/** Writes one plugin's settings (JSON text) under `settingsDir`; returns the file. */
export function writeLabSetting(settingsDir: string, plugin: string, json: string): string {
  const file = labSettingFile(settingsDir, plugin);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${json}\n`);
  return file;
}

/** The course's default settings: plugin id -> settings JSON. */
export const COURSE_LAB_SETTINGS: Readonly<Record<string, string>> = {
  '@jupyterlab/apputils-extension:notification': '{ "fetchNews": "false" }',
};

/** Writes the course's defaults into the project's settings folder, leaving alone any file the user has changed. */
export function ensureCourseLabSettings(projectRoot: string): void {
  for (const [plugin, json] of Object.entries(COURSE_LAB_SETTINGS)) {
    if (!fs.existsSync(labSettingFile(labSettingsDir(projectRoot), plugin))) writeLabSetting(labSettingsDir(projectRoot), plugin, json);
  }
}
