import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOpenFile, readRegularFile, readSettingsFile } from '../../../src/fs/read-regular-file';
import { tempDir } from '../../support/env';

describe('readRegularFile()', () => {
  it('reads the whole file, through a symlink, with the stat of what it read', () => {
    const dir = tempDir('ecr-ts-regular-');
    writeFileSync(join(dir, 'config.json'), '{"a":1}');
    symlinkSync(join(dir, 'config.json'), join(dir, 'link.json'));
    const read = readRegularFile(join(dir, 'link.json'), 1024);
    expect(read.bytes.toString()).toBe('{"a":1}');
    expect(read.stats.isFile()).toBe(true);
    expect(read.stats.size).toBe(7n);
  });

  it.each([
    ['a FIFO with no writer, without hanging', (path: string) => execFileSync('mkfifo', [path])],
    ['a folder', (path: string) => mkdirSync(path)],
    ['a character device', (path: string) => symlinkSync('/dev/zero', path)],
  ])('refuses %s: "not a regular file" as the code', (_name, make) => {
    const path = join(tempDir('ecr-ts-regular-'), 'config.json');
    make(path);
    expect(() => readRegularFile(path, 1024)).toThrow(
      expect.objectContaining({ code: 'not a regular file', message: 'not a regular file' }),
    );
  });

  it('refuses a file above the limit, and keeps errno codes for other failures', () => {
    const dir = tempDir('ecr-ts-regular-');
    writeFileSync(join(dir, 'big.json'), 'x'.repeat(11));
    expect(() => readRegularFile(join(dir, 'big.json'), 10)).toThrow(
      expect.objectContaining({ code: 'larger than 10 bytes' }),
    );
    expect(() => readRegularFile(join(dir, 'missing.json'), 10)).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });
});

describe('readSettingsFile()', () => {
  it('is null for a missing file, and refuses what readRegularFile() refuses', () => {
    const dir = tempDir('ecr-ts-regular-');
    expect(readSettingsFile(join(dir, 'missing.json'))).toBeNull();
    writeFileSync(join(dir, 'config.json'), '{}');
    expect(readSettingsFile(join(dir, 'config.json'))?.bytes.toString()).toBe('{}');
    expect(() => readSettingsFile(dir)).toThrow(
      expect.objectContaining({ code: 'not a regular file' }),
    );
  });
});

describe('readOpenFile()', () => {
  it('reads up to the size given, and no more than the file holds', () => {
    const path = join(tempDir('ecr-ts-regular-'), 'file');
    writeFileSync(path, 'abcdef');
    const fd = openSync(path, 'r');
    try {
      expect(readOpenFile(fd, 3).toString()).toBe('abc');
      expect(readOpenFile(fd, 100).toString()).toBe('abcdef');
    } finally {
      closeSync(fd);
    }
  });
});
