import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { readPrivateFile, writePrivateFile } from '../../../src/fs/private-file';
import { tempDir } from '../../support/env';

let dir = '';
let victim = '';
beforeEach(() => {
  dir = tempDir('ecr-ts-write-');
  victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n', { mode: 0o644 });
});

/** The temp name writePrivateFile() uses with `suffix` (the token cache's prune knows it too). */
const tempPathFor = (path: string, suffix: string): string => `${path}.${suffix}.tmp`;

/** Hands out the given suffixes in turn. */
function suffixes(...values: string[]): () => string {
  let next = 0;
  return () => values[Math.min(next++, values.length - 1)] ?? '';
}

describe('writePrivateFile()', () => {
  it('replaces the file with a 0600 one and leaves no temp file', () => {
    const path = join(dir, 'entry.json');
    writePrivateFile(path, 'one');
    writePrivateFile(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['entry.json', 'victim.txt']);
  });

  it('never follows a symlink planted at the temp name (O_EXCL|O_NOFOLLOW): draws another name', () => {
    const path = join(dir, 'entry.json');
    const planted = tempPathFor(path, 'predictable');
    symlinkSync(victim, planted);
    writePrivateFile(path, 'token', { suffix: suffixes('predictable', 'fresh') });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('token');
  });

  it('neither truncates nor writes a file planted at the temp name', () => {
    const path = join(dir, 'entry.json');
    const planted = tempPathFor(path, 'predictable');
    writeFileSync(planted, 'attacker', { mode: 0o666 });
    writePrivateFile(path, 'token', { suffix: suffixes('predictable', 'fresh') });
    expect(readFileSync(planted, 'utf8')).toBe('attacker');
    expect(readFileSync(path, 'utf8')).toBe('token');
  });

  it('gives up with EEXIST when every name it draws is taken, following none', () => {
    const path = join(dir, 'entry.json');
    symlinkSync(victim, tempPathFor(path, 'taken'));
    expect(() => writePrivateFile(path, 'token', { suffix: () => 'taken' })).toThrow(
      expect.objectContaining({ code: 'EEXIST' }),
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(() => lstatSync(path)).toThrow();
  });

  it("replaces a symlink at the file's name instead of writing through it", () => {
    const path = join(dir, 'entry.json');
    symlinkSync(victim, path);
    writePrivateFile(path, 'token');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(statSync(victim).mode & 0o777).toBe(0o644);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('token');
  });

  it('leaves no temp file when the rename fails', () => {
    const path = join(dir, 'entry.json');
    mkdirSync(join(path, 'occupied'), { recursive: true });
    expect(() => writePrivateFile(path, 'token')).toThrow();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes exactly 0600 whatever the umask, and durably when asked', () => {
    const path = join(dir, 'credentials.json');
    const umask = process.umask(0o277);
    try {
      writePrivateFile(path, 'login', { durable: true });
    } finally {
      process.umask(umask);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('login');
    expect(readdirSync(dir).sort()).toEqual(['credentials.json', 'victim.txt']);
  });

  (process.getuid?.() === 0 ? it : it.skip)(
    "never gives the new file an existing file's owner",
    () => {
      const path = join(dir, 'entry.json');
      writeFileSync(path, 'junk', { mode: 0o666 });
      chownSync(path, 64102, 64102);
      writePrivateFile(path, 'token');
      expect(statSync(path).uid).toBe(process.geteuid?.());
      expect(statSync(path).mode & 0o777).toBe(0o600);
    },
  );
});

describe('readPrivateFile()', () => {
  const me = { euid: process.geteuid?.() };

  it('reads a 0600 file of this user, and says absent for a missing one', () => {
    const path = join(dir, 'entry.json');
    writePrivateFile(path, '{"a":1}');
    expect(readPrivateFile(path, me, 1024)).toEqual({ kind: 'text', text: '{"a":1}' });
    expect(readPrivateFile(join(dir, 'missing.json'), me, 1024)).toEqual({ kind: 'absent' });
  });

  it.each([
    [
      'a symlink, even to a file of its own',
      'it is a symbolic link',
      (path: string) => symlinkSync(victim, path),
    ],
    ['a folder', 'it is not a regular file', (path: string) => mkdirSync(path)],
    ['a FIFO (without hanging)', 'it is not a regular file', (path: string) => mkfifo(path)],
    [
      'a file others can write',
      'group or others can write it (mode 666)',
      (path: string) => {
        writeFileSync(path, 'planted');
        chmodSync(path, 0o666);
      },
    ],
    [
      'a file above the size limit',
      'it is larger than 16 bytes',
      (path: string) => writeFileSync(path, 'x'.repeat(17), { mode: 0o600 }),
    ],
  ])('refuses %s', (_name, why, plant) => {
    const path = join(dir, 'entry.json');
    plant(path);
    expect(readPrivateFile(path, me, 16)).toEqual({ kind: 'refused', reason: `${path}: ${why}` });
  });

  it("refuses another user's file", () => {
    const path = join(dir, 'entry.json');
    writeFileSync(path, 'planted', { mode: 0o600 });
    // As another uid: the file is the test's, so it belongs to someone else for 4242.
    expect(readPrivateFile(path, { euid: 4242 }, 1024)).toEqual({
      kind: 'refused',
      reason: `${path}: it belongs to uid ${statSync(path).uid}, not to this user (uid 4242)`,
    });
  });

  it('judges no owner where the platform has no uids', () => {
    const path = join(dir, 'entry.json');
    writeFileSync(path, 'text');
    chmodSync(path, 0o666);
    expect(readPrivateFile(path, { euid: undefined }, 1024)).toEqual({
      kind: 'text',
      text: 'text',
    });
  });
});

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}
