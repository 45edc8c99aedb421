import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { configure, formatConfigureReport } from '../../../src/commands/configure';
import { dockerConfigFile } from '../../../src/commands/docker-config-file';
import { tempDir } from '../../support/env';
import { ECR_HOST as PRIVATE } from '../../support/registry-host';

const NOW = () => new Date('2026-11-29T01:02:03.456Z');

describe('dockerConfigFile()', () => {
  it('prefers DOCKER_CONFIG, then HOME/.docker', () => {
    expect(dockerConfigFile({ DOCKER_CONFIG: '/etc/d', HOME: '/home/u' })).toBe(
      '/etc/d/config.json',
    );
    expect(dockerConfigFile({ DOCKER_CONFIG: ' ', HOME: '/home/u' })).toBe(
      '/home/u/.docker/config.json',
    );
  });

  it('says what is missing when neither is set', () => {
    expect(() => dockerConfigFile({})).toThrow('neither DOCKER_CONFIG nor HOME is set');
  });
});

describe('configure()', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('ecr-ts-configure-unit-')));
  const run = (registries: string[], extra: { store?: boolean; dryRun?: boolean } = {}) =>
    configure({
      registries,
      store: extra.store ?? false,
      dryRun: extra.dryRun ?? false,
      // --store reads the helper's own config file: never one relative to the working folder.
      env: { DOCKER_CONFIG: dir, XDG_CONFIG_HOME: join(dir, 'xdg') },
      now: NOW,
    });

  it('names the backup after the clock it is given', async () => {
    writeFileSync(join(dir, 'config.json'), '{}');
    const report = await run([PRIVATE]);
    expect(report.backup).toBe(join(dir, 'config.json.20261129T010203Z.bak'));
    // A second change in the same second gets its own backup, not the first one overwritten.
    const again = await run([], { store: true });
    expect(again.backup).toBe(join(dir, 'config.json.20261129T010203Z-1.bak'));
    expect(readFileSync(again.backup ?? '', 'utf8')).toContain(PRIVATE);
    expect(readdirSync(dir).sort()).toEqual([
      'config.json',
      'config.json.20261129T010203Z-1.bak',
      'config.json.20261129T010203Z.bak',
      // What --store did, for --unstore.
      'config.json.ecr-ts-store.json',
    ]);
  });

  it('needs a registry or --store', async () => {
    await expect(run([])).rejects.toThrow('configure needs at least one ECR registry');
  });

  it('in-process concurrent calls serialize on the lock too', async () => {
    const hosts = ['111111111111', '222222222222', '333333333333'].map(
      (account) => `${account}.dkr.ecr.eu-west-1.amazonaws.com`,
    );
    await Promise.all(hosts.map((host) => run([host])));
    const written = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      credHelpers: Record<string, string>;
    };
    expect(Object.keys(written.credHelpers).sort()).toEqual(hosts);
  });
});

describe('configure() and the file it finds', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('ecr-ts-configure-unit-')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = () => join(dir, 'config.json');
  const run = (progress?: { step: string }) =>
    configure({
      registries: [PRIVATE],
      store: false,
      dryRun: false,
      env: { DOCKER_CONFIG: dir },
      now: NOW,
      ...(progress ? { progress } : {}),
    });

  it('keeps the mode of the file it replaces', async () => {
    writeFileSync(file(), '{}');
    chmodSync(file(), 0o640);
    await run();
    expect(statSync(file()).mode & 0o777).toBe(0o640);
  });

  it('refuses a read-only file (0444), leaving it and its mode as they were', async () => {
    writeFileSync(file(), '{}');
    chmodSync(file(), 0o444);
    await expect(run()).rejects.toThrow(
      `${file()} is read-only (mode 0444); configure left it untouched: make it writable (chmod u+w) to let configure change it`,
    );
    expect(readFileSync(file(), 'utf8')).toBe('{}');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('updates the target of a symlinked config and keeps the link', async () => {
    const real = join(dir, 'elsewhere.json');
    writeFileSync(real, '{}');
    symlinkSync(real, file());
    const report = await run();
    expect(lstatSync(file()).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8'))).toEqual({
      credHelpers: { [PRIVATE]: 'ecr-ts' },
    });
    expect(report.backup).toBe(join(dir, 'config.json.20261129T010203Z.bak'));
    expect(statSync(report.backup ?? '').mode & 0o777).toBe(0o600);
  });

  it('refuses bytes that are not UTF-8 (an edit would not keep them)', async () => {
    writeFileSync(file(), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    await expect(run()).rejects.toThrow(`${file()} is not valid UTF-8`);
  });

  it('names each step for a timeout: the lock wait, then the update', async () => {
    writeFileSync(file(), '{}');
    mkdirSync(`${file()}.lock`);
    const progress = { step: '' };
    const pending = run(progress);
    expect(progress.step).toBe(
      `waiting for the lock ${file()}.lock (another configure run; one left by a run that was stopped is taken over after 5 s)`,
    );
    rmSync(`${file()}.lock`, { recursive: true });
    await pending;
    expect(progress.step).toBe(`updating ${file()}`);
  });

  // Root editing a user's docker config (sudo with HOME kept): the folder is used as it is and
  // the file stays the user's, or the user could no longer read it.
  (process.getuid?.() === 0 ? it : it.skip)(
    "as root, edits a user's config in the user's folder and leaves both the user's",
    async () => {
      writeFileSync(file(), '{}');
      chownSync(dir, 65534, 65534);
      chownSync(file(), 65534, 65534);
      await run();
      expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({
        credHelpers: { [PRIVATE]: 'ecr-ts' },
      });
      const stats = statSync(file());
      expect([stats.uid, stats.gid]).toEqual([65534, 65534]);
    },
  );

  it('cannot create its folder under /proc and says so at once', async () => {
    await expect(
      configure({
        registries: [PRIVATE],
        store: false,
        dryRun: false,
        env: { DOCKER_CONFIG: '/proc/self/x/y' },
        now: NOW,
      }),
    ).rejects.toThrow('cannot create the folder of /proc/self/x/y/config.json (ENOENT)');
  });
});

describe('formatConfigureReport()', () => {
  const base: Parameters<typeof formatConfigureReport>[0] = {
    file: '/d/config.json',
    changes: [{ key: 'credsStore', before: 'desktop', after: 'ecr-ts' }],
    unchanged: [`credHelpers["${PRIVATE}"]`],
    backup: '/d/config.json.x.bak',
    dryRun: false,
  };

  it('lists each change with the value it replaced, then where it wrote', () => {
    expect(formatConfigureReport(base)).toBe(
      [
        'set credsStore = "ecr-ts" (was "desktop")',
        `already set: credHelpers["${PRIVATE}"]`,
        'wrote /d/config.json (previous file saved as /d/config.json.x.bak)',
        '',
      ].join('\n'),
    );
  });

  it('says "would" and "not written" on a dry run, and "up to date" with nothing to do', () => {
    expect(formatConfigureReport({ ...base, dryRun: true, backup: null })).toContain(
      'would set credsStore',
    );
    expect(formatConfigureReport({ ...base, dryRun: true })).toContain(
      'dry run: /d/config.json not written',
    );
    expect(formatConfigureReport({ ...base, changes: [] })).toContain(
      '/d/config.json already up to date, not rewritten',
    );
  });
});
