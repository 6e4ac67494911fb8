import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR_ENV, datasetsDir, packageRoot } from '../../src/data/paths';

const projectRoot = path.resolve(__dirname, '..', '..');
const saved = process.env[DATA_DIR_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[DATA_DIR_ENV];
  else process.env[DATA_DIR_ENV] = saved;
});

describe('datasetsDir', () => {
  it('finds datasets/ beside the gradlab package.json, whatever the working directory', () => {
    delete process.env[DATA_DIR_ENV];
    const cwd = process.cwd();
    try {
      process.chdir(os.tmpdir());
      expect(datasetsDir()).toBe(path.join(projectRoot, 'datasets'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('prefers an explicit folder, then GRADLAB_DATA_DIR', () => {
    process.env[DATA_DIR_ENV] = '/srv/data';
    expect(datasetsDir()).toBe('/srv/data');
    expect(datasetsDir('/elsewhere')).toBe('/elsewhere');
  });

  it('packageRoot stops at a package.json named gradlab and returns null outside one', () => {
    expect(packageRoot(path.join(projectRoot, 'src', 'data'))).toBe(projectRoot);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-paths-'));
    fs.writeFileSync(path.join(outside, 'package.json'), JSON.stringify({ name: 'other' }));
    try {
      expect(packageRoot(outside)).toBeNull();
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
