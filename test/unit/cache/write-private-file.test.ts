import {
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
import {
  randomSuffix,
  tempPathFor,
  writePrivateFileSync,
} from '../../../src/cache/write-private-file';
import { tempDir } from '../../support/env';

let dir = '';
let victim = '';
beforeEach(() => {
  dir = tempDir('ecr-ts-write-');
  victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n', { mode: 0o644 });
});

/** Hands out the given suffixes in turn. */
function suffixes(...values: string[]): () => string {
  let next = 0;
  return () => values[Math.min(next++, values.length - 1)] ?? '';
}

describe('writePrivateFileSync()', () => {
  it('replaces the file with a 0600 one and leaves no temp file', () => {
    const path = join(dir, 'entry.json');
    writePrivateFileSync(path, 'one');
    writePrivateFileSync(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['entry.json', 'victim.txt']);
  });

  it('never follows a symlink planted at the temp name (O_EXCL|O_NOFOLLOW): draws another name', () => {
    const path = join(dir, 'entry.json');
    const planted = tempPathFor(path, 'predictable');
    symlinkSync(victim, planted);
    writePrivateFileSync(path, 'token', suffixes('predictable', 'fresh'));
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('token');
  });

  it('neither truncates nor writes a file planted at the temp name', () => {
    const path = join(dir, 'entry.json');
    const planted = tempPathFor(path, 'predictable');
    writeFileSync(planted, 'attacker', { mode: 0o666 });
    writePrivateFileSync(path, 'token', suffixes('predictable', 'fresh'));
    expect(readFileSync(planted, 'utf8')).toBe('attacker');
    expect(readFileSync(path, 'utf8')).toBe('token');
  });

  it('gives up with EEXIST when every name it draws is taken, following none', () => {
    const path = join(dir, 'entry.json');
    symlinkSync(victim, tempPathFor(path, 'taken'));
    expect(() => writePrivateFileSync(path, 'token', () => 'taken')).toThrow(
      expect.objectContaining({ code: 'EEXIST' }),
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(() => lstatSync(path)).toThrow();
  });

  it("replaces a symlink at the file's name instead of writing through it", () => {
    const path = join(dir, 'entry.json');
    symlinkSync(victim, path);
    writePrivateFileSync(path, 'token');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(statSync(victim).mode & 0o777).toBe(0o644);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('token');
  });

  it('leaves no temp file when the rename fails', () => {
    const path = join(dir, 'entry.json');
    mkdirSync(join(path, 'occupied'), { recursive: true });
    expect(() => writePrivateFileSync(path, 'token')).toThrow();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  (process.getuid?.() === 0 ? it : it.skip)(
    "never gives the new file an existing file's owner",
    () => {
      const path = join(dir, 'entry.json');
      writeFileSync(path, 'junk', { mode: 0o666 });
      chownSync(path, 64102, 64102);
      writePrivateFileSync(path, 'token');
      expect(statSync(path).uid).toBe(process.geteuid?.());
      expect(statSync(path).mode & 0o777).toBe(0o600);
    },
  );
});

describe('randomSuffix()', () => {
  it('draws 64 random bits: 1000 draws are 1000 different 16-digit hex strings', () => {
    const draws = Array.from({ length: 1000 }, randomSuffix);
    for (const draw of draws) expect(draw).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(draws).size).toBe(1000);
  });
});
