import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  configure,
  dockerConfigFile,
  formatConfigureReport,
  type ConfigureReport,
} from '../../../src/commands/configure';
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

describe('formatConfigureReport()', () => {
  const base: ConfigureReport = {
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
