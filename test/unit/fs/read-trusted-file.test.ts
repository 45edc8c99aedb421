import { chmodSync, chownSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processOwner } from '../../../src/fs/owner';
import { readTrustedFile, UntrustedFileError } from '../../../src/fs/read-trusted-file';
import { tempDir } from '../../support/env';

const me = processOwner();
const asRoot = me.euid === 0;

/** A folder of this user, 0700, with `config.json` in it. */
function folder(mode = 0o700): { dir: string; file: string } {
  const dir = tempDir('ecr-ts-trusted-');
  chmodSync(dir, mode);
  const file = join(dir, 'config.json');
  writeFileSync(file, '{"a":1}', { mode: 0o600 });
  return { dir, file };
}

function refusal(path: string, owner = me): string {
  try {
    readTrustedFile(path, owner, 1024);
  } catch (error) {
    if (error instanceof UntrustedFileError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readTrustedFile()', () => {
  it("reads this user's file in this user's folder, also through a symlink", () => {
    const { dir, file } = folder();
    expect(readTrustedFile(file, me, 1024).bytes.toString()).toBe('{"a":1}');
    const link = join(folder().dir, 'link.json');
    symlinkSync(file, link);
    expect(readTrustedFile(link, me, 1024).bytes.toString()).toBe('{"a":1}');
    // A path through `..` names the same folder.
    const roundabout = join(dir, '..', dir.split('/').at(-1) ?? '', 'config.json');
    expect(readTrustedFile(roundabout, me, 1024).stats.isFile()).toBe(true);
  });

  it('refuses a file group or others can write', () => {
    const { file } = folder();
    chmodSync(file, 0o664);
    expect(refusal(file)).toBe('group or others can write it (mode 664)');
  });

  it('refuses a file in a folder others can write, even a sticky one', () => {
    const { dir, file } = folder(0o1777);
    expect(refusal(file)).toBe(`its folder ${dir}: group or others can write it (mode 1777)`);
  });

  it('refuses a symlink in a folder others can write, wherever it points', () => {
    const { file } = folder();
    const shared = folder(0o777).dir;
    symlinkSync(file, join(shared, 'link.json'));
    expect(refusal(join(shared, 'link.json'))).toBe(
      `the folder of the link ${shared}: group or others can write it (mode 777)`,
    );
  });

  it("trusts root's files for another user, and only root's and the user's", () => {
    if (!asRoot) return;
    const { dir, file } = folder(0o755);
    chmodSync(file, 0o644);
    // Made by root: a machine-wide file that uid 1000 may use.
    expect(readTrustedFile(file, { euid: 1000 }, 1024).bytes.toString()).toBe('{"a":1}');
    chownSync(file, 4242, 4242);
    expect(refusal(file, { euid: 1000 })).toBe(
      'it belongs to uid 4242, not to this user (uid 1000) or root',
    );
    // Root itself trusts root's files only.
    expect(refusal(file)).toBe('it belongs to uid 4242, not to this user (uid 0)');
    chownSync(file, 0, 0);
    chownSync(dir, 4242, 4242);
    expect(refusal(file, { euid: 1000 })).toBe(
      `its folder ${dir}: it belongs to uid 4242, not to this user (uid 1000) or root`,
    );
  });

  it('keeps the errno of a missing file or a dangling symlink', () => {
    const { dir } = folder();
    symlinkSync(join(dir, 'gone.json'), join(dir, 'dangling.json'));
    for (const name of ['missing.json', 'dangling.json']) {
      expect(() => readTrustedFile(join(dir, name), me, 1024)).toThrow(
        expect.objectContaining({ code: 'ENOENT' }),
      );
    }
  });
});
