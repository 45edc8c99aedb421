import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { creationProblem, folderProblem, inspectFolder } from '../../../src/fs/private-folder';
import { tempDir } from '../../support/env';

const ME = 1000;
const folder = (uid: number, mode: number, kind: 'folder' | 'file' | 'symlink' = 'folder') => ({
  uid,
  mode: { folder: 0o040000, file: 0o100000, symlink: 0o120000 }[kind] | mode,
  isDirectory: () => kind === 'folder',
  isSymbolicLink: () => kind === 'symlink',
});

describe('folderProblem()', () => {
  it.each([
    ['my 0700 folder', folder(ME, 0o700), undefined],
    ['my 0755 folder', folder(ME, 0o755), undefined],
    ['my 0777 folder', folder(ME, 0o777), '/c: group or others can write it (mode 777)'],
    ['my 0770 folder', folder(ME, 0o770), '/c: group or others can write it (mode 770)'],
    ['my sticky 1777 folder', folder(ME, 0o1777), '/c: group or others can write it (mode 1777)'],
    ['a sticky 1777 folder', folder(0, 0o1777), 'belongs to uid 0, not to this user (uid 1000)'],
    ["another user's 0700 folder", folder(1002, 0o700), 'belongs to uid 1002'],
    ['a file', folder(ME, 0o600, 'file'), '/c: it is not a folder'],
    [
      'a symlink (to a folder of mine or not)',
      folder(ME, 0o777, 'symlink'),
      '/c: it is a symbolic link',
    ],
  ])('%s', (_name, stat, problem) => {
    const found = folderProblem('/c', stat, { euid: ME });
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('judges no owner where the platform has no uids', () => {
    expect(folderProblem('/c', folder(0, 0o777), { euid: undefined })).toBeUndefined();
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
      '/home/u/.cache/x: not creating it inside /home/u/.cache, which belongs to uid 1000, not to this user (uid 0)',
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
      '/home/u/.cache/x: not creating it, as HOME (/home/u) does not exist',
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

describe('inspectFolder()', () => {
  const me = { euid: process.geteuid?.() };

  it('finds my 0700 folder usable, and a missing one absent', () => {
    const dir = tempDir('ecr-ts-folder-');
    chmodSync(dir, 0o700);
    expect(inspectFolder(dir, me)).toEqual({ state: 'usable' });
    expect(inspectFolder(join(dir, 'missing'), me)).toEqual({ state: 'absent' });
  });

  it('finds a path under a file absent: it cannot exist, and mkdir says why', () => {
    const file = join(tempDir('ecr-ts-folder-'), 'file');
    writeFileSync(file, '');
    expect(inspectFolder(join(file, 'x'), me)).toEqual({ state: 'absent' });
  });

  it('refuses a symlink to a folder of mine, naming it', () => {
    const base = tempDir('ecr-ts-folder-');
    mkdirSync(join(base, 'real'), { mode: 0o700 });
    symlinkSync(join(base, 'real'), join(base, 'link'));
    expect(inspectFolder(join(base, 'link'), me)).toEqual({
      state: 'refused',
      reason: `${join(base, 'link')}: it is a symbolic link`,
    });
  });

  it('judges creation only when asked: absent for a reader, refused for a maker', () => {
    const home = join(tempDir('ecr-ts-folder-'), 'gone');
    const dir = join(home, '.cache', 'x');
    expect(inspectFolder(dir, { ...me, home })).toEqual({ state: 'absent' });
    expect(inspectFolder(dir, { ...me, home }, { creating: true })).toEqual({
      state: 'refused',
      reason: `${dir}: not creating it, as HOME (${home}) does not exist`,
    });
  });
});
