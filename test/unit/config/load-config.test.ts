import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidationRecord } from '../../../src/cache/validation-record';
import { loadConfig } from '../../../src/config/load-config';
import { DEFAULT_ROUTE_TABLE } from '../../../src/routing/route-table';
import { tempDir } from '../../support/env';

/** The settings of a user whose home is a fresh folder, and the file ECR_TS_CONFIG names. */
function named(file: string): Record<string, string> {
  return { HOME: tempDir(), ECR_TS_CONFIG: file };
}

describe('loadConfig()', () => {
  it('no file at the default path: the default routes', () => {
    const home = tempDir();
    expect(loadConfig({ HOME: home }).routes).toBe(DEFAULT_ROUTE_TABLE);
    const xdg = join(home, 'missing');
    expect(loadConfig({ HOME: home, XDG_CONFIG_HOME: xdg }).routes).toBe(DEFAULT_ROUTE_TABLE);
    // A default path that cannot exist (under a file) is no file either.
    const file = join(home, 'a-file');
    writeFileSync(file, '');
    expect(loadConfig({ HOME: home, XDG_CONFIG_HOME: file }).routes).toBe(DEFAULT_ROUTE_TABLE);
  });

  it('a file ECR_TS_CONFIG names must exist', () => {
    const path = join(tempDir(), 'config.json');
    expect(() => loadConfig(named(path))).toThrow(`${path}: cannot read the config file (ENOENT)`);
  });

  it('with routes: false, does not read the file', () => {
    const env = named(join(tempDir(), 'config.json'));
    expect(loadConfig(env, { routes: false }).routes).toBe(DEFAULT_ROUTE_TABLE);
  });

  it('reads and parses the file at the default path', () => {
    const xdg = tempDir();
    const file = join(xdg, 'docker-credential-ecr-ts', 'config.json');
    mkdirSync(join(xdg, 'docker-credential-ecr-ts'));
    writeFileSync(file, '{"fallback":"none","registries":{"quay.io":{"anonymous":true}}}');
    const { routes } = loadConfig({ HOME: tempDir(), XDG_CONFIG_HOME: xdg });
    expect(routes).toMatchObject({ file, fallback: { kind: 'none' } });
    expect(routes.entries().map((entry) => entry.key)).toEqual(['quay.io']);
  });

  it('a file others can write is a CONFIG error naming it: it decides where tokens go', () => {
    const path = join(tempDir(), 'config.json');
    writeFileSync(path, '{}', { mode: 0o666 });
    chmodSync(path, 0o666);
    expect(() => loadConfig(named(path))).toThrow(
      `${path}: refusing to use this config file: group or others can write it (mode 666)`,
    );
    // Another user's (the owner passed in stands for the process's user; root's files would do).
    chmodSync(path, 0o600);
    if (process.geteuid?.() === 0) chownSync(path, 1234, 1234);
    expect(() => loadConfig(named(path), { owner: { euid: 4242 } })).toThrow(
      /refusing to use this config file: it belongs to uid \d+, not to this user \(uid 4242\)/,
    );
  });

  it('a file that cannot be read is a CONFIG error naming it', () => {
    const dir = join(tempDir(), 'config.json');
    mkdirSync(dir);
    expect(() => loadConfig(named(dir))).toThrow(
      `${dir}: cannot read the config file (not a regular file)`,
    );
  });
});

describe('loadConfig() with a record of checked texts', () => {
  /** A record in memory: which (file, text) pairs were added. */
  function memoryRecord(): ValidationRecord & { added: string[] } {
    const added: string[] = [];
    return {
      added,
      has: (file, text) => added.includes(`${file}\0${text}`),
      add: (file, text) => void added.push(`${file}\0${text}`),
    };
  }
  const GOOD = '{"registries":{"quay.example.io":{"anonymous":true},"*.corp":{"helper":"pass"}}}';
  // The same length: an edit within the same second keeps the size and, on coarse file systems,
  // the time; only the text tells them apart.
  const BAD = '{"registries":{"quay.example.io":{"anonymous":true},"*.CORP":{"helper":"pass"}}}';

  it("asks for the record of the Config's cache folder", () => {
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, GOOD);
    const asked: (string | null)[] = [];
    const record = (cacheDir: string | null): ValidationRecord => {
      asked.push(cacheDir);
      return memoryRecord();
    };
    loadConfig({ ...named(file), AWS_ECR_CACHE_DIR: '/var/cache/x' }, { record });
    expect(asked).toEqual(['/var/cache/x']);
  });

  it('records a text it checked whole, and never one it refused', () => {
    const file = join(tempDir(), 'config.json');
    const record = memoryRecord();
    writeFileSync(file, GOOD);
    loadConfig(named(file), { record: () => record });
    expect(record.added).toEqual([`${file}\0${GOOD}`]);
    writeFileSync(file, BAD);
    expect(() => loadConfig(named(file), { record: () => record })).toThrow(
      `${file}: registries["*.CORP"]: expected a lower-case host name, got "*.CORP"`,
    );
    expect(record.added).toHaveLength(1);
  });

  it('an edited file is checked whole again: a record is for one text', () => {
    const file = join(tempDir(), 'config.json');
    const record = memoryRecord();
    writeFileSync(file, GOOD);
    const first = loadConfig(named(file), { record: () => record }).routes;
    const again = loadConfig(named(file), { record: () => record }).routes;
    expect(again.entries()).toEqual(first.entries());
    writeFileSync(file, BAD);
    // The bad entry is not about quay.example.io: only a whole check finds it.
    expect(() => loadConfig(named(file), { record: () => record })).toThrow('"*.CORP"');
  });

  it('a recorded text is parsed only as far as a host needs', () => {
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, BAD);
    // As if BAD had been checked: what the record is trusted for (it lives in the user's own
    // cache folder, see validation-record.test.ts).
    const trusting = { has: () => true, add: () => undefined };
    const { routes } = loadConfig(named(file), { record: () => trusting });
    expect(routes.entriesFor({ host: 'quay.example.io' }).map((entry) => entry.key)).toEqual([
      'quay.example.io',
    ]);
  });
});

describe('loadConfig() for the kubelet: whose config file it trusts', () => {
  const euid = process.geteuid?.() ?? 0;
  /** A config file in a folder of its own, both this user's and closed to others. */
  function kubeletFile(): { dir: string; file: string } {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, '{"registries":{"quay.io":{"anonymous":true}}}', { mode: 0o644 });
    chmodSync(file, 0o644);
    return { dir, file };
  }
  const load = (file: string, as = euid) =>
    loadConfig({ ECR_TS_CONFIG: file }, { kubelet: { euid: as } });

  it("reads a file of its user's, in a folder only that user may write", () => {
    const { file } = kubeletFile();
    expect(
      load(file)
        .routes.entries()
        .map((entry) => entry.key),
    ).toEqual(['quay.io']);
  });

  it('refuses a file others may write, and a file in a folder others may write, naming it', () => {
    const { dir, file } = kubeletFile();
    chmodSync(file, 0o664);
    expect(() => load(file)).toThrow(
      `${file}: refusing to use this config file: group or others can write it (mode 664)`,
    );
    chmodSync(file, 0o644);
    chmodSync(dir, 0o775);
    expect(() => load(file)).toThrow(
      `this config file: its folder ${dir}: group or others can write it (mode 775)`,
    );
  });

  (euid === 0 ? it : it.skip)("trusts root's files whoever it runs as, and no other user's", () => {
    const { file } = kubeletFile();
    expect(load(file, 1000).routes.entries()).toHaveLength(1);
    chownSync(file, 65534, 65534);
    expect(() => load(file)).toThrow(/it belongs to uid 65534, not to this user \(uid 0\)$/);
  });
});
