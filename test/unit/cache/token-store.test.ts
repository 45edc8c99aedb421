import {
  chmodSync,
  chownSync,
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
import { entryFor, serializeEntry, type CacheEntry } from '../../../src/cache/cache-entry';
import { entryFileName } from '../../../src/cache/cache-identity';
import { createTokenStore } from '../../../src/cache/token-store';
import { tempDir } from '../../support/env';
import { ECR_HOST } from '../../support/registry-host';

const HOUR = 3600_000;
const NOW = Date.UTC(2026, 11, 1);
const scope = { partition: 'aws', region: 'eu-west-1', service: 'ecr', identity: 'me' } as const;
const asRoot = process.getuid?.() === 0;

function entry(password = 'pw-mine'): CacheEntry {
  return entryFor({
    scope,
    hosts: [ECR_HOST],
    token: { username: 'AWS', password, expiresAt: NOW + 12 * HOUR },
    fetchedAt: NOW,
    jitter: 0,
  });
}

function setUp(options: { mode?: number } = {}) {
  const dir = join(tempDir('ecr-ts-store-'), 'cache');
  mkdirSync(dir, { mode: 0o700 });
  if (options.mode !== undefined) chmodSync(dir, options.mode);
  const warnings: string[] = [];
  const store = createTokenStore({ dir, warn: (line) => warnings.push(line) });
  return { dir, store, warnings, path: join(dir, entryFileName(scope)) };
}

describe('the token store', () => {
  it('writes 0600 entries it reads back, and lists them', async () => {
    const { store, path, warnings } = setUp();
    await store.write(entry());
    expect(store.read(scope)).toEqual(entry());
    expect(store.list()).toEqual([entry()]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([]);
  });

  it('never reads through a symlink at the entry name, even to a valid entry of its own', async () => {
    const { store, path, dir, warnings } = setUp();
    await store.write(entry('pw-elsewhere'));
    renameSync(path, join(dir, 'elsewhere.json'));
    symlinkSync(join(dir, 'elsewhere.json'), path);
    expect(store.read(scope)).toBeUndefined();
    expect(warnings).toEqual([`ignoring the token cache file ${path}: it is a symbolic link`]);
    await store.write(entry());
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'elsewhere.json'), 'utf8')).toContain('pw-elsewhere');
  });

  it('ignores an entry that group or others can write to', () => {
    const { store, path, warnings } = setUp();
    writeFileSync(path, serializeEntry(entry('pw-planted')), { mode: 0o666 });
    chmodSync(path, 0o666);
    expect(store.read(scope)).toBeUndefined();
    expect(warnings).toEqual([
      `ignoring the token cache file ${path}: group or others can write it (mode 666)`,
    ]);
  });

  (asRoot ? it : it.skip)(
    "ignores another user's entry, and replaces it with its own",
    async () => {
      const { store, path, warnings } = setUp();
      writeFileSync(path, serializeEntry(entry('ATTACKER-CHOSEN')), { mode: 0o600 });
      chownSync(path, 64102, 64102);
      expect(store.read(scope)).toBeUndefined();
      expect(warnings[0]).toContain('belongs to uid 64102, not to this user');
      expect(store.list()).toEqual([]);
      await store.write(entry());
      expect(statSync(path).uid).toBe(process.geteuid?.());
      expect(store.read(scope)?.password).toBe('pw-mine');
    },
  );

  it('refuses a folder others can write to: one warning, no read, no write, a quiet list', async () => {
    const { store, dir, path, warnings } = setUp({ mode: 0o777 });
    writeFileSync(path, serializeEntry(entry('pw-planted')), { mode: 0o600 });
    expect(store.read(scope)).toBeUndefined();
    expect(store.read(scope)).toBeUndefined();
    expect(store.list()).toEqual([]);
    await expect(store.write(entry())).rejects.toThrow(/group or others can write/);
    expect(warnings).toEqual([
      `not using the token cache folder ${dir}: group or others can write it (mode 777)`,
    ]);
    expect(readFileSync(path, 'utf8')).toContain('pw-planted');
  });

  it('refuses a cache folder that is a symlink, even to a folder of its own: one warning', async () => {
    const { dir } = setUp();
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    const warnings: string[] = [];
    const store = createTokenStore({ dir: link, warn: (line) => warnings.push(line) });
    expect(store.read(scope)).toBeUndefined();
    await expect(store.write(entry())).rejects.toThrow(/it is a symbolic link/);
    expect(warnings).toEqual([`not using the token cache folder ${link}: it is a symbolic link`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lists without a word about files it cannot use (corrupt, unreadable, symlinks)', async () => {
    const { store, dir, warnings } = setUp();
    await store.write(entry());
    writeFileSync(join(dir, `${'a'.repeat(40)}.json`), 'garbage{');
    symlinkSync('/nonexistent', join(dir, `${'b'.repeat(40)}.json`));
    writeFileSync(join(dir, `${'c'.repeat(40)}.json`), '{}', { mode: 0o666 });
    chmodSync(join(dir, `${'c'.repeat(40)}.json`), 0o666);
    expect(store.list()).toEqual([entry()]);
    expect(warnings).toEqual([]);
  });

  it('prunes temp files a crashed writer left, old names and new, once 10 minutes old', () => {
    const { store, dir } = setUp();
    const name = entryFileName(scope);
    const record = `config-${'e'.repeat(16)}-${'d'.repeat(40)}.checked`;
    const temps = [
      `${name}.123456789`,
      `${name}.0123456789abcdef.tmp`,
      `${record}.0123456789abcdef.tmp`,
    ];
    for (const temp of temps) writeFileSync(join(dir, temp), '');
    // The config check record itself is validation-record.ts's, never pruned here.
    writeFileSync(join(dir, record), '');
    store.prune(Date.now());
    expect(readdirSync(dir)).toHaveLength(4);
    store.prune(Date.now() + 11 * 60_000);
    expect(readdirSync(dir)).toEqual([record]);
  });
});
