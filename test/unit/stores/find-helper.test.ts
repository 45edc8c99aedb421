import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHelperError } from '../../../src/errors';
import { delegatedEnv, findHelper, findOnPath } from '../../../src/stores/find-helper';
import { tempDir } from '../../support/env';

/** A folder holding `name`, executable or not. */
function folderWith(name: string, mode = 0o755): string {
  const dir = tempDir('ecr-ts-find-');
  writeFileSync(join(dir, name), '#!/bin/sh\n');
  chmodSync(join(dir, name), mode);
  return dir;
}

describe('findOnPath()', () => {
  it('finds the first executable regular file of that name, in PATH order', () => {
    const first = folderWith('docker-credential-pass');
    const second = folderWith('docker-credential-pass');
    expect(findOnPath('docker-credential-pass', `${first}:${second}`)).toBe(
      join(first, 'docker-credential-pass'),
    );
  });

  it('skips a file that is not executable, and a folder of that name', () => {
    const plain = folderWith('docker-credential-pass', 0o644);
    const folder = tempDir('ecr-ts-find-');
    mkdirSync(join(folder, 'docker-credential-pass'));
    const good = folderWith('docker-credential-pass');
    expect(findOnPath('docker-credential-pass', [plain, folder, good].join(':'))).toBe(
      join(good, 'docker-credential-pass'),
    );
  });

  it('never looks in a relative or empty PATH entry (the folder docker was started in)', () => {
    const dir = folderWith('docker-credential-pass');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(findOnPath('docker-credential-pass', '.::docker-credential-pass')).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('findHelper()', () => {
  const refusal = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      if (isHelperError(error, 'DELEGATE')) return error.message;
      throw error;
    }
    throw new Error('expected a DELEGATE error');
  };

  it('returns the path PATH resolves the helper to', () => {
    const dir = folderWith('docker-credential-pass');
    expect(findHelper({ name: 'pass', env: { PATH: dir }, self: [] })).toBe(
      join(dir, 'docker-credential-pass'),
    );
  });

  it('refuses a helper missing from PATH, naming it', () => {
    expect(
      refusal(() => findHelper({ name: 'pass', env: { PATH: '/nonexistent' }, self: [] })),
    ).toMatch(/^docker-credential-pass not found on PATH/);
  });

  it('refuses a helper that resolves to this program, and one called from a delegated helper', () => {
    const dir = folderWith('docker-credential-real');
    symlinkSync(join(dir, 'docker-credential-real'), join(dir, 'docker-credential-alias'));
    const self = [join(dir, 'docker-credential-real')];
    expect(refusal(() => findHelper({ name: 'alias', env: { PATH: dir }, self }))).toMatch(
      /is this helper, and calling it would loop/,
    );
    expect(
      refusal(() =>
        findHelper({ name: 'real', env: { PATH: dir, ECR_TS_CALL_DEPTH: '1' }, self: [] }),
      ),
    ).toMatch(/was itself started by a delegated helper/);
  });

  it('refuses when a helper in between dropped the call depth but not the deadline', () => {
    const dir = folderWith('docker-credential-pass');
    const env = { PATH: dir, ECR_TS_DEADLINE: '1800000000000' };
    expect(refusal(() => findHelper({ name: 'pass', env, self: [] }))).toBe(
      'refusing to delegate to docker-credential-pass: docker-credential-ecr-ts was itself started by a delegated helper (ECR_TS_DEADLINE is set, though ECR_TS_CALL_DEPTH was dropped on the way), so a route or the fallback leads back to it; point that helper elsewhere',
    );
  });

  it('refuses when an ancestor process runs this program, and asks only then', () => {
    const dir = folderWith('docker-credential-pass');
    const asked: string[] = [];
    const ancestor = (pid: number | undefined) => () => {
      asked.push(String(pid));
      return pid;
    };
    expect(
      refusal(() =>
        findHelper({ name: 'pass', env: { PATH: dir }, self: [], ancestor: ancestor(4321) }),
      ),
    ).toMatch(
      /^refusing to delegate to docker-credential-pass: docker-credential-ecr-ts is already running further up this call \(process 4321\)/,
    );
    expect(
      findHelper({ name: 'pass', env: { PATH: dir }, self: [], ancestor: ancestor(undefined) }),
    ).toBe(join(dir, 'docker-credential-pass'));
    expect(asked).toEqual(['4321', 'undefined']);
  });
});

describe('delegatedEnv()', () => {
  it('passes the call one level deeper, with the time its helper is stopped at', () => {
    expect(delegatedEnv({ PATH: '/bin', ECR_TS_CALL_DEPTH: '1' }, 1_800_000_000_123.7)).toEqual({
      PATH: '/bin',
      ECR_TS_CALL_DEPTH: '2',
      ECR_TS_DEADLINE: '1800000000123',
    });
  });
});
