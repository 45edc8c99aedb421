import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseStoreRecord,
  readStoreRecord,
  recordPath,
  removeStoreRecord,
  writeStoreRecord,
} from '../../../src/commands/store-record';
import { tempDir } from '../../support/env';

const RECORD = {
  previousCredsStore: 'pass',
  fallback: 'pass',
  moved: [{ serverUrl: 'ghcr.io', keys: ['ghcr.io', 'https://ghcr.io'], username: 'a' }],
};

describe('the record of configure --store', () => {
  it('is written beside config.json (0600), read back, and removed', () => {
    const dir = tempDir('ecr-ts-record-');
    const file = join(dir, 'config.json');
    expect(readStoreRecord(file, process.geteuid?.())).toBeNull();
    expect(writeStoreRecord(file, RECORD, undefined)).toBeNull();
    expect(statSync(recordPath(file)).mode & 0o777).toBe(0o600);
    expect(readStoreRecord(file, process.geteuid?.())).toEqual(RECORD);
    removeStoreRecord(file);
    expect(readStoreRecord(file, process.geteuid?.())).toBeNull();
  });

  it('is refused when it is a symlink or others can write it', () => {
    const dir = tempDir('ecr-ts-record-');
    const file = join(dir, 'config.json');
    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ version: 1, ...RECORD }));
    symlinkSync(elsewhere, recordPath(file));
    expect(() => readStoreRecord(file, process.geteuid?.())).toThrow(
      `refusing to use ${recordPath(file)}: it is a symbolic link; nothing was changed`,
    );
    const other = join(tempDir('ecr-ts-record-'), 'config.json');
    mkdirSync(join(other, '..'), { recursive: true });
    writeFileSync(recordPath(other), JSON.stringify({ version: 1, ...RECORD }));
    chmodSync(recordPath(other), 0o666);
    expect(() => readStoreRecord(other, process.geteuid?.())).toThrow(
      /group or others can write it/,
    );
    expect(readFileSync(elsewhere, 'utf8')).toContain('pass');
  });

  it.each([
    ['not json', 'not JSON'],
    [JSON.stringify({ ...RECORD }), 'no "version": 1'],
    [
      JSON.stringify({ version: 1, ...RECORD, previousCredsStore: '../../bin/sh' }),
      'previousCredsStore',
    ],
    [JSON.stringify({ version: 1, ...RECORD, moved: [{ serverUrl: 1 }] }), 'moved'],
  ])('refuses a text configure did not write: %s', (text, why) => {
    expect(() => parseStoreRecord(text, '/r.json')).toThrow(
      `/r.json is not a record configure --store wrote (${why})`,
    );
  });
});
