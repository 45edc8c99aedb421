import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFilePath } from '../../../src/config/config-file-path';
import { loadRouteTable } from '../../../src/config/load-config';
import { DEFAULT_ROUTE_TABLE } from '../../../src/routing/route-table';
import { tempDir } from '../../support/env';
import type { ValidationRecord } from '../../../src/cache/validation-record';

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
    expect(table.entries().map((entry) => entry.key)).toEqual(['quay.io']);
  });

  it('a file that cannot be read is a CONFIG error naming it', () => {
    const dir = join(tempDir(), 'config.json');
    mkdirSync(dir);
    expect(() => loadRouteTable({ path: dir, explicit: false })).toThrow(
      `${dir}: cannot read the config file (not a regular file)`,
    );
  });
});

describe('loadRouteTable() with a record of checked texts', () => {
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

  it('records a text it checked whole, and never one it refused', () => {
    const file = join(tempDir(), 'config.json');
    const record = memoryRecord();
    writeFileSync(file, GOOD);
    loadRouteTable({ path: file, explicit: false }, record);
    expect(record.added).toEqual([`${file}\0${GOOD}`]);
    writeFileSync(file, BAD);
    expect(() => loadRouteTable({ path: file, explicit: false }, record)).toThrow(
      `${file}: registries["*.CORP"]: expected a lower-case host name, got "*.CORP"`,
    );
    expect(record.added).toHaveLength(1);
  });

  it('an edited file is checked whole again: a record is for one text', () => {
    const file = join(tempDir(), 'config.json');
    const record = memoryRecord();
    writeFileSync(file, GOOD);
    const first = loadRouteTable({ path: file, explicit: false }, record);
    const again = loadRouteTable({ path: file, explicit: false }, record);
    expect(again.entries()).toEqual(first.entries());
    writeFileSync(file, BAD);
    // The bad entry is not about quay.example.io: only a whole check finds it.
    expect(() => loadRouteTable({ path: file, explicit: false }, record)).toThrow('"*.CORP"');
  });

  it('a recorded text is parsed only as far as a host needs', () => {
    const file = join(tempDir(), 'config.json');
    writeFileSync(file, BAD);
    // As if BAD had been checked: what the record is trusted for (it lives in the user's own
    // cache folder, see validation-record.test.ts).
    const table = loadRouteTable(
      { path: file, explicit: false },
      { has: () => true, add: () => undefined },
    );
    expect(table.entriesFor({ host: 'quay.example.io' }).map((entry) => entry.key)).toEqual([
      'quay.example.io',
    ]);
  });
});
