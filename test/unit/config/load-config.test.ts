import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFilePath } from '../../../src/config/config-file-path';
import { loadRouteTable } from '../../../src/config/load-config';
import { DEFAULT_ROUTE_TABLE } from '../../../src/routing/route-table';
import { tempDir } from '../../support/env';

describe('configFilePath()', () => {
  it('ECR_TS_CONFIG, else XDG_CONFIG_HOME, else ~/.config (a relative XDG value is ignored)', () => {
    expect(configFilePath({ ECR_TS_CONFIG: '/etc/ecr.json', XDG_CONFIG_HOME: '/x' }, '/h')).toEqual(
      { path: '/etc/ecr.json', explicit: true },
    );
    expect(configFilePath({ XDG_CONFIG_HOME: '/x' }, '/h').path).toBe(
      '/x/docker-credential-ecr-ts/config.json',
    );
    expect(configFilePath({ XDG_CONFIG_HOME: 'rel' }, '/h').path).toBe(
      '/h/.config/docker-credential-ecr-ts/config.json',
    );
    expect(configFilePath({}, null).path).toBeNull();
  });
});

describe('loadRouteTable()', () => {
  it('no file: the defaults', () => {
    const dir = tempDir();
    const implicit = (path: string) => ({ path, explicit: false });
    expect(loadRouteTable(implicit(join(dir, 'config.json')))).toBe(DEFAULT_ROUTE_TABLE);
    expect(loadRouteTable(implicit(join(dir, 'missing', 'config.json')))).toBe(DEFAULT_ROUTE_TABLE);
    expect(loadRouteTable({ path: null, explicit: false })).toBe(DEFAULT_ROUTE_TABLE);
  });

  it('a file ECR_TS_CONFIG names must exist', () => {
    const path = join(tempDir(), 'config.json');
    expect(() => loadRouteTable({ path, explicit: true })).toThrow(
      `${path}: cannot read the config file (ENOENT)`,
    );
  });

  it('reads and parses the file', () => {
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, '{"fallback":"none","registries":{"quay.io":{"anonymous":true}}}');
    const table = loadRouteTable({ path: file, explicit: false });
    expect(table).toMatchObject({ file, fallback: { kind: 'none' } });
    expect(table.entries.map((entry) => entry.key)).toEqual(['quay.io']);
  });

  it('a file that cannot be read is a CONFIG error naming it', () => {
    const dir = join(tempDir(), 'config.json');
    mkdirSync(dir);
    expect(() => loadRouteTable({ path: dir, explicit: false })).toThrow(
      `${dir}: cannot read the config file (EISDIR)`,
    );
  });
});
