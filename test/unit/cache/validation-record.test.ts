import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { validationRecordIn } from '../../../src/cache/validation-record';
import { tempDir } from '../../support/env';

const asRoot = process.getuid?.() === 0;
const owner = { euid: process.geteuid?.() };
const FILE = '/home/u/.config/docker-credential-ecr-ts/config.json';
const TEXT = '{"registries":{"quay.io":{"anonymous":true}}}';

function cacheFolder(mode = 0o700): string {
  const dir = join(tempDir('ecr-ts-record-'), 'cache');
  mkdirSync(dir);
  chmodSync(dir, mode);
  return dir;
}

function recordFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.checked'));
}

describe('validationRecordIn()', () => {
  it('remembers a text of a file: not another text, not another file', () => {
    const dir = cacheFolder();
    const record = validationRecordIn(dir, owner);
    expect(record.has(FILE, TEXT)).toBe(false);
    record.add(FILE, TEXT);
    expect(record.has(FILE, TEXT)).toBe(true);
    expect(validationRecordIn(dir, owner).has(FILE, TEXT)).toBe(true);
    expect(record.has(FILE, TEXT.replace('quay', 'QUAY'))).toBe(false);
    expect(record.has('/etc/other.json', TEXT)).toBe(false);
  });

  it('one empty private file per config file, replaced when the text changes', () => {
    const dir = cacheFolder();
    const record = validationRecordIn(dir, owner);
    record.add(FILE, TEXT);
    record.add('/etc/other.json', TEXT);
    record.add(FILE, `${TEXT} `);
    const names = recordFiles(dir);
    expect(names).toHaveLength(2);
    for (const name of names) {
      expect(name).toMatch(/^config-[0-9a-f]{16}-[0-9a-f]{40}\.checked$/);
      // Neither the path nor the text is in it: the name is the claim.
      expect(statSync(join(dir, name))).toMatchObject({ size: 0 });
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    }
    expect(record.has(FILE, TEXT)).toBe(false);
    expect(record.has(FILE, `${TEXT} `)).toBe(true);
    expect(record.has('/etc/other.json', TEXT)).toBe(true);
  });

  it('without a cache folder it remembers nothing and creates nothing', () => {
    const missing = join(tempDir('ecr-ts-record-'), 'cache');
    const record = validationRecordIn(missing, owner);
    record.add(FILE, TEXT);
    expect(existsSync(missing)).toBe(false);
    expect(record.has(FILE, TEXT)).toBe(false);
    const off = validationRecordIn(null, owner);
    off.add(FILE, TEXT);
    expect(off.has(FILE, TEXT)).toBe(false);
  });

  it('a folder others can write is not trusted: nothing read, nothing written', () => {
    const dir = cacheFolder();
    validationRecordIn(dir, owner).add(FILE, TEXT);
    chmodSync(dir, 0o777);
    const record = validationRecordIn(dir, owner);
    expect(record.has(FILE, TEXT)).toBe(false);
    const [name = ''] = recordFiles(dir);
    renameSync(join(dir, name), join(dir, 'moved'));
    record.add(FILE, TEXT);
    expect(recordFiles(dir)).toEqual([]);
  });

  it('a symlink is no record, and writing replaces the link, not its target', () => {
    const dir = cacheFolder();
    validationRecordIn(dir, owner).add(FILE, TEXT);
    const [name = ''] = recordFiles(dir);
    const target = join(dir, 'elsewhere');
    renameSync(join(dir, name), target);
    symlinkSync(target, join(dir, name));
    const record = validationRecordIn(dir, owner);
    expect(record.has(FILE, TEXT)).toBe(false);
    writeFileSync(target, 'kept');
    record.add(FILE, TEXT);
    expect(lstatSync(join(dir, name)).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('kept');
    expect(record.has(FILE, TEXT)).toBe(true);
  });

  it('a folder in the record name is no record', () => {
    const dir = cacheFolder();
    validationRecordIn(dir, owner).add(FILE, TEXT);
    const [name = ''] = recordFiles(dir);
    renameSync(join(dir, name), join(dir, 'moved'));
    mkdirSync(join(dir, name));
    expect(validationRecordIn(dir, owner).has(FILE, TEXT)).toBe(false);
  });

  (asRoot ? it : it.skip)('a record another user owns, or can write, is not trusted', () => {
    const dir = cacheFolder();
    validationRecordIn(dir, owner).add(FILE, TEXT);
    const [name = ''] = recordFiles(dir);
    const path = join(dir, name);
    chownSync(path, 64102, 64102);
    expect(validationRecordIn(dir, owner).has(FILE, TEXT)).toBe(false);
    chownSync(path, 0, 0);
    chmodSync(path, 0o620);
    expect(validationRecordIn(dir, owner).has(FILE, TEXT)).toBe(false);
    chmodSync(path, 0o600);
    expect(validationRecordIn(dir, owner).has(FILE, TEXT)).toBe(true);
  });
});
