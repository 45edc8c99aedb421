import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirSync, UnsafeFolderError } from '../../../src/fs/make-dir';
import { inspectFolder } from '../../../src/fs/private-folder';
import { tempDir } from '../../support/env';

describe('makeDirSync() (and inspectFolder())', () => {
  const me = { euid: process.geteuid?.() };

  it.each(['', 'relcache', '.cache/docker-credential-ecr-ts'])(
    'refuses the relative path "%s" and creates nothing',
    (dir) => {
      expect(inspectFolder(dir, me)).toMatchObject({
        state: 'refused',
        reason: expect.stringContaining('not an absolute path'),
      });
      expect(() => makeDirSync(dir, me)).toThrow(UnsafeFolderError);
    },
  );

  it('creates a missing folder and its parents 0700, then finds it usable', () => {
    const dir = join(tempDir('ecr-ts-folder-'), 'a', 'b');
    expect(inspectFolder(dir, me, { creating: true })).toEqual({ state: 'absent' });
    makeDirSync(dir, me);
    expect(inspectFolder(dir, me)).toEqual({ state: 'usable' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(dir)).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder others can write to, and does not change it', () => {
    const dir = join(tempDir('ecr-ts-folder-'), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(inspectFolder(dir, me).state).toBe('refused');
    expect(() => makeDirSync(dir, me)).toThrow(/group or others can write/);
  });

  it('does not create a missing HOME for the cache', () => {
    const home = join(tempDir('ecr-ts-folder-'), 'gone');
    const dir = join(home, '.cache', 'x');
    expect(inspectFolder(dir, { ...me, home }, { creating: true })).toMatchObject({
      state: 'refused',
    });
    expect(() => makeDirSync(dir, { ...me, home })).toThrow(/HOME .* does not exist/);
  });

  it('refuses a symlink at the name, even to a folder of mine, and creates nothing', () => {
    const base = tempDir('ecr-ts-folder-');
    symlinkSync(join(base, 'real'), join(base, 'link'));
    expect(() => makeDirSync(join(base, 'link'), me)).toThrow(/link: it is a symbolic link$/);
    expect(existsSync(join(base, 'real'))).toBe(false);
    mkdirSync(join(base, 'real'), { mode: 0o700 });
    expect(() => makeDirSync(join(base, 'link'), me)).toThrow(/link: it is a symbolic link$/);
  });

  it('stops at a parent that is a file (one error, no loop)', () => {
    const base = tempDir('ecr-ts-folder-');
    const file = join(base, 'file');
    writeFileSync(file, '');
    expect(() => makeDirSync(join(file, 'x'), me)).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    );
  });

  (process.getuid?.() === 0 ? it : it.skip)(
    "does not create a folder inside another user's folder (root with a user's HOME)",
    () => {
      const home = join(tempDir('ecr-ts-folder-'), 'user');
      mkdirSync(home);
      chownSync(home, 64101, 64101);
      const dir = join(home, '.cache', 'docker-credential-ecr-ts');
      expect(() => makeDirSync(dir, { euid: 0, home })).toThrow(/belongs to uid 64101/);
      expect(inspectFolder(join(home, '.cache'), { euid: 0 }, { creating: true })).toMatchObject({
        state: 'refused',
      });
    },
  );
});
