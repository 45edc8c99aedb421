import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  creationProblem,
  folderProblem,
  inspectCacheFolder,
} from '../../../src/cache/cache-folder';
import { makeDirSync, UnsafeFolderError } from '../../../src/cache/make-dir';
import { tempDir } from '../../support/env';

const ME = 1000;
const folder = (uid: number, mode: number, isDir = true) => ({
  uid,
  mode: (isDir ? 0o040000 : 0o100000) | mode,
  isDirectory: () => isDir,
});

describe('folderProblem()', () => {
  it.each([
    ['my 0700 folder', folder(ME, 0o700), undefined],
    ['my 0755 folder', folder(ME, 0o755), undefined],
    ['my 0777 folder', folder(ME, 0o777), 'group or others can write to /c (mode 777)'],
    ['my 0770 folder', folder(ME, 0o770), 'group or others can write to /c (mode 770)'],
    ['a sticky 1777 folder', folder(0, 0o1777), 'belongs to uid 0, not to this user (uid 1000)'],
    ["another user's 0700 folder", folder(1002, 0o700), 'belongs to uid 1002'],
    ['a file', folder(ME, 0o600, false), '/c is not a folder'],
  ])('%s', (_name, stat, problem) => {
    const found = folderProblem('/c', stat, ME);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('judges no owner where the platform has no uids', () => {
    expect(folderProblem('/c', folder(0, 0o777), undefined)).toBeUndefined();
  });
});

describe('creationProblem()', () => {
  const home = '/home/u';
  it.each([
    ['inside my own HOME', '/home/u/.cache/x', '/home/u', ME, ME, true, undefined],
    ['inside a root-owned folder (/tmp)', '/tmp/x', '/tmp', 0, ME, true, undefined],
    [
      "root inside a user's HOME (sudo -E)",
      '/home/u/.cache/x',
      '/home/u/.cache',
      ME,
      0,
      true,
      'inside /home/u/.cache, which belongs to uid 1000, not to this user (uid 0)',
    ],
    [
      "inside another user's shared folder",
      '/tmp/shared/x',
      '/tmp/shared',
      1002,
      ME,
      true,
      'which belongs to uid 1002',
    ],
    [
      'under a HOME that does not exist',
      '/home/u/.cache/x',
      '/',
      0,
      0,
      false,
      'HOME (/home/u) does not exist',
    ],
  ])('%s', (_name, dir, ancestor, ancestorUid, euid, homeExists, problem) => {
    const found = creationProblem({
      dir,
      ancestor,
      ancestorUid,
      owner: { euid, home },
      homeExists,
    });
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('inspectCacheFolder() and makeDirSync()', () => {
  const me = { euid: process.geteuid?.() };

  it.each(['', 'relcache', '.cache/docker-credential-ecr-ts'])(
    'refuses the relative path "%s" and creates nothing',
    (dir) => {
      expect(inspectCacheFolder(dir, me)).toMatchObject({
        state: 'refused',
        reason: expect.stringContaining('not an absolute path'),
      });
      expect(() => makeDirSync(dir, 0o700, me)).toThrow(UnsafeFolderError);
    },
  );

  it('creates a missing folder and its parents 0700, then finds it usable', () => {
    const dir = join(tempDir('ecr-ts-folder-'), 'a', 'b');
    expect(inspectCacheFolder(dir, me)).toEqual({ state: 'absent' });
    makeDirSync(dir, 0o700, me);
    expect(inspectCacheFolder(dir, me)).toEqual({ state: 'usable' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(dir)).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder others can write to, and does not change it', () => {
    const dir = join(tempDir('ecr-ts-folder-'), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(inspectCacheFolder(dir, me).state).toBe('refused');
    expect(() => makeDirSync(dir, 0o700, me)).toThrow(/group or others can write/);
  });

  it('does not create a missing HOME for the cache', () => {
    const home = join(tempDir('ecr-ts-folder-'), 'gone');
    const dir = join(home, '.cache', 'x');
    expect(inspectCacheFolder(dir, { ...me, home })).toMatchObject({ state: 'refused' });
    expect(() => makeDirSync(dir, 0o700, { ...me, home })).toThrow(/HOME .* does not exist/);
  });

  it('stops at a parent that is a file (one error, no loop)', () => {
    const base = tempDir('ecr-ts-folder-');
    const file = join(base, 'file');
    writeFileSync(file, '');
    expect(() => makeDirSync(join(file, 'x'), 0o700, me)).toThrow(
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
      expect(() => makeDirSync(dir, 0o700, { euid: 0, home })).toThrow(/belongs to uid 64101/);
      expect(inspectCacheFolder(join(home, '.cache'), { euid: 0 })).toMatchObject({
        state: 'refused',
      });
    },
  );
});
