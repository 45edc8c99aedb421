import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { readHelperConfig, writeHelperConfig } from '../../../src/commands/helper-config-file';
import { tempDir } from '../../support/env';

const NOW = () => new Date('2026-11-29T01:02:03.456Z');
const setFallback = (text: string | null) =>
  `${JSON.stringify({ ...(text ? (JSON.parse(text) as object) : {}), fallback: 'pass' })}\n`;

describe('writeHelperConfig()', () => {
  it('creates a missing file and folder (0600, 0700), with no backup', () => {
    const dir = tempDir('ecr-ts-helper-config-');
    const path = join(dir, 'cfg', 'config.json');
    expect(writeHelperConfig({ path, edit: setFallback, now: NOW })).toBeNull();
    expect(readHelperConfig(path)).toBe('{"fallback":"pass"}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cfg')).mode & 0o777).toBe(0o700);
  });

  it('writes through a symlinked file, keeps its mode, and backs it up beside the link', () => {
    const dir = tempDir('ecr-ts-helper-config-');
    const dotfile = join(dir, 'dotfiles', 'ecr-ts.json');
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(dotfile, '{"registries": {}}');
    chmodSync(dotfile, 0o644);
    mkdirSync(join(dir, 'cfg'));
    const path = join(dir, 'cfg', 'config.json');
    symlinkSync(dotfile, path);
    const backup = writeHelperConfig({ path, edit: setFallback, now: NOW });
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(dotfile, 'utf8'))).toEqual({ registries: {}, fallback: 'pass' });
    expect(statSync(dotfile).mode & 0o777).toBe(0o644);
    expect(backup).toBe(join(dir, 'cfg', 'config.json.20261129T010203Z.bak'));
    expect(readdirSync(join(dir, 'dotfiles'))).toEqual(['ecr-ts.json']);
  });

  it('refuses a folder others can write, naming it, and writes nothing', () => {
    const dir = tempDir('ecr-ts-helper-config-');
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    symlinkSync(shared, join(dir, 'cfg'));
    const path = join(dir, 'cfg', 'config.json');
    expect(() => writeHelperConfig({ path, edit: setFallback, now: NOW })).toThrow(
      `configure --store cannot write ${path}: ${shared}: group or others can write it (mode 777); nothing was changed`,
    );
    expect(readdirSync(shared)).toEqual([]);
  });

  it('refuses a symlink to nothing', () => {
    const dir = tempDir('ecr-ts-helper-config-');
    const path = join(dir, 'config.json');
    symlinkSync(join(dir, 'missing.json'), path);
    expect(() => writeHelperConfig({ path, edit: setFallback, now: NOW })).toThrow(
      /cannot follow it \(ENOENT\): a symbolic link to nothing\?; nothing was changed/,
    );
  });
});
