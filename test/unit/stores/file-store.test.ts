import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { isHelperError } from '../../../src/errors';
import { createFileStore } from '../../../src/stores/file-store';
import { tempDir } from '../../support/env';

const uid = process.getuid?.() ?? 0;
const SECRET = 'pa55-SENTINEL-file-store';

function setup(deadlineMs = 10_000) {
  const dir = join(tempDir('ecr-ts-file-store-'), 'share', 'docker-credential-ecr-ts');
  const path = join(dir, 'credentials.json');
  const warnings: string[] = [];
  const store = createFileStore({
    path,
    owner: { uid },
    deadline: Date.now() + deadlineMs,
    warn: (message) => warnings.push(message),
  });
  return { dir, path, store, warnings };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isHelperError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'ok';
}

describe('the file store', () => {
  it('keeps a login in a 0600 file in a 0700 folder, and finds it in any URL form', async () => {
    const { dir, path, store } = setup();
    await store.store({ serverUrl: 'ghcr.io', username: 'me', secret: SECRET });
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    await expect(store.get('ghcr.io')).resolves.toEqual({
      serverUrl: 'ghcr.io',
      username: 'me',
      secret: SECRET,
    });
    await expect(store.get('https://GHCR.io/v2/')).resolves.toMatchObject({ username: 'me' });
    // nerdctl's forms of the host: the same login, answered for the URL as asked.
    for (const asked of ['ghcr.io:443', 'https://ghcr.io:443', 'http://ghcr.io']) {
      await expect(store.get(asked)).resolves.toEqual({
        serverUrl: asked,
        username: 'me',
        secret: SECRET,
      });
    }
    await expect(store.list()).resolves.toEqual({ 'ghcr.io': 'me' });
    expect(readdirSync(dir)).toEqual(['credentials.json']);
  });

  it('answers not-found for a server it does not hold, or on a port it does not hold', async () => {
    const { store } = setup();
    expect(await codeOf(store.get('ghcr.io'))).toMatch(
      /^NOT_FOUND: credentials not found in native keychain$/,
    );
    await store.store({ serverUrl: 'localhost:5000', username: 'me', secret: SECRET });
    expect(await codeOf(store.get('localhost:5001'))).toMatch(/^NOT_FOUND/);
  });

  it('replaces a login for the same server in another form, and erase forgets every form', async () => {
    const { store } = setup();
    await store.store({ serverUrl: 'https://ghcr.io', username: 'old', secret: 'x' });
    await store.store({ serverUrl: 'ghcr.io', username: 'new', secret: SECRET });
    await store.store({ serverUrl: 'quay.io', username: 'q', secret: 'y' });
    await expect(store.list()).resolves.toEqual({ 'ghcr.io': 'new', 'quay.io': 'q' });
    await store.erase('https://ghcr.io/');
    await expect(store.list()).resolves.toEqual({ 'quay.io': 'q' });
    await store.erase('never-stored.example');
  });

  it('loses nothing when 20 stores run at once', async () => {
    const { store } = setup();
    const hosts = Array.from({ length: 20 }, (_, i) => `registry${i}.example.com`);
    await Promise.all(
      hosts.map((host) => store.store({ serverUrl: host, username: host, secret: SECRET })),
    );
    expect(Object.keys(await store.list()).sort()).toEqual([...hosts].sort());
  });

  it('refuses a damaged file and leaves it as it was', async () => {
    const { dir, path, store } = setup();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, '{"version":1,"auths":{"ghcr.io":', { mode: 0o600 });
    const out = await codeOf(store.store({ serverUrl: 'quay.io', username: 'me', secret: SECRET }));
    expect(out).toMatch(/^STORE: the file store .*credentials\.json is damaged \(not valid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"auths":{"ghcr.io":');
  });

  it('never follows a symlink at the file: the target stays untouched', async () => {
    const { dir, path, store, warnings } = setup();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const victim = join(dir, '..', 'victim.txt');
    writeFileSync(victim, 'precious', { mode: 0o644 });
    symlinkSync(victim, path);
    expect(
      await codeOf(store.store({ serverUrl: 'ghcr.io', username: 'me', secret: SECRET })),
    ).toMatch(/^STORE: refusing to use .*credentials\.json: it is a symbolic link$/);
    // get answers, as the token cache does: not-found, and why on stderr.
    expect(await codeOf(store.get('ghcr.io'))).toMatch(/^NOT_FOUND: /);
    expect(warnings).toEqual([
      expect.stringMatching(/^not reading the file store: .*symbolic link$/),
    ]);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(victim).mode & 0o777).toBe(0o644);
  });

  it('refuses a folder that is a symlink, group-writable, or owned by another user', async () => {
    const symlinked = setup();
    mkdirSync(join(symlinked.dir, '..', 'real'), { recursive: true, mode: 0o700 });
    symlinkSync(join(symlinked.dir, '..', 'real'), symlinked.dir);
    expect(await codeOf(symlinked.store.list())).toMatch(
      /refusing to use .*: it is a symbolic link/,
    );

    const shared = setup();
    mkdirSync(shared.dir, { recursive: true });
    chmodSync(shared.dir, 0o777);
    expect(
      await codeOf(shared.store.store({ serverUrl: 'a.io', username: 'u', secret: SECRET })),
    ).toMatch(/^STORE: refusing to use .*: group or others can write it \(mode 777\)$/);

    if (uid !== 0) return; // chown needs root; the executable tests cover other users too
    const foreign = setup();
    mkdirSync(foreign.dir, { recursive: true, mode: 0o700 });
    chownSync(foreign.dir, 65534, 65534);
    expect(await codeOf(foreign.store.list())).toMatch(
      /belongs to uid 65534, not to this user \(uid 0\)/,
    );
    expect(await codeOf(foreign.store.get('a.io'))).toMatch(/^NOT_FOUND: /);
    expect(foreign.warnings).toEqual([
      expect.stringMatching(/belongs to uid 65534, not to this user \(uid 0\)$/),
    ]);
  });

  it('refuses a file another user planted, even when root', async () => {
    const { dir, path, store } = setup();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(
      path,
      JSON.stringify({ version: 1, auths: { 'ghcr.io': { username: 'evil', secret: 'x' } } }),
      {
        mode: 0o600,
      },
    );
    if (uid === 0) chownSync(path, 65534, 65534);
    else chmodSync(path, 0o666);
    expect(await codeOf(store.get('ghcr.io'))).toBe(
      'NOT_FOUND: credentials not found in native keychain',
    );
    expect(await codeOf(store.erase('ghcr.io'))).toMatch(
      /^STORE: refusing to use .*credentials\.json: /,
    );
  });

  it('refuses a store that would make the file larger than it reads, changing nothing', async () => {
    const { path, store } = setup();
    const big = 'x'.repeat(60_000);
    for (let i = 0; i < 69; i += 1) {
      await store.store({ serverUrl: `big${i}.example.com`, username: 'u', secret: big });
    }
    const before = readFileSync(path, 'utf8');
    expect(
      await codeOf(
        store.store({ serverUrl: 'https://u:pw@big.example.com', username: 'u', secret: big }),
      ),
    ).toMatch(
      /^STORE: cannot store the login for "https:\/\/big\.example\.com": the file store .* would grow to \d+ bytes, past its limit of 4194304 bytes; erase logins you no longer use \(docker logout\)$/,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
    // Replacing a login with a shorter one still fits.
    await store.store({ serverUrl: 'big0.example.com', username: 'u', secret: 'short' });
    expect((await store.get('big0.example.com')).secret).toBe('short');
  });

  it('removes the temp files of writes that never finished, whatever their age', async () => {
    const { dir, path, store } = setup();
    await store.store({ serverUrl: 'ghcr.io', username: 'me', secret: SECRET });
    const leftovers = ['0123456789abcdef', 'fedcba9876543210'].map((hex) =>
      join(dir, `credentials.json.${hex}.tmp`),
    );
    for (const leftover of leftovers) writeFileSync(leftover, readFileSync(path));
    // Not a temp file of this store's: left alone.
    writeFileSync(join(dir, 'credentials.json.notes.tmp'), 'mine');
    await store.erase('ghcr.io');
    expect(readdirSync(dir).sort()).toEqual(['credentials.json', 'credentials.json.notes.tmp']);
  });

  it('gives up at the deadline when another process holds the lock', async () => {
    const { dir, path } = setup();
    mkdirSync(`${path}.lock`, { recursive: true });
    chmodSync(dir, 0o700);
    const store = createFileStore({ path, owner: { uid }, deadline: Date.now() + 300 });
    expect(await codeOf(store.store({ serverUrl: 'a.io', username: 'u', secret: SECRET }))).toMatch(
      /^TIMEOUT: the file store .* stayed locked by another process/,
    );
  });
});
