import { HelperError } from '../../../src/errors';
import {
  dockerLookupKey,
  loginsIn,
  planStoreMigration,
  removeAuths,
} from '../../../src/commands/plan-store-migration';
import { ECR_HOST as ECR } from '../../support/registry-host';

const FILE = '/home/u/.docker/config.json';
const auth = (user: string, password: string) => ({
  auth: Buffer.from(`${user}:${password}`).toString('base64'),
});
const plan = (auths: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  planStoreMigration({ auths, ...extra }, FILE);

describe('dockerLookupKey()', () => {
  it.each([
    ['registry.example.com', 'registry.example.com'],
    ['https://registry.example.com/', 'registry.example.com'],
    ['http://registry.example.com', 'registry.example.com'],
    ['https://registry.example.com:5000/v2/', 'registry.example.com:5000'],
    ['Registry.Example.com', 'Registry.Example.com'],
    ['localhost:5000/some/path', 'localhost:5000'],
    ['https://index.docker.io/v1/', 'https://index.docker.io/v1/'],
    ['index.docker.io', 'https://index.docker.io/v1/'],
    ['docker.io', 'docker.io'],
  ])('%s -> %s (the key docker asks its store for)', (key, lookup) => {
    expect(dockerLookupKey(key)).toBe(lookup);
  });
});

describe('planStoreMigration()', () => {
  it('moves each plaintext login, drops saved ECR tokens, skips markers and keeps unreadable entries', () => {
    const result = plan({
      'ghcr.io': auth('octocat', 'pw'),
      'quay.io': {},
      'bad.example.com': { auth: '%%%' },
      'split.example.com': { username: 'u', password: 'p' },
      'token.example.com': { identitytoken: 'tok' },
      [ECR]: auth('AWS', 'ecr-token'),
    });
    expect(result.logins).toEqual([
      { serverUrl: 'ghcr.io', username: 'octocat', secret: 'pw', keys: ['ghcr.io'] },
      { serverUrl: 'split.example.com', username: 'u', secret: 'p', keys: ['split.example.com'] },
      {
        serverUrl: 'token.example.com',
        username: '<token>',
        secret: 'tok',
        keys: ['token.example.com'],
      },
    ]);
    expect(result.droppedEcr).toEqual([ECR]);
    expect(result.kept).toEqual([
      { key: 'bad.example.com', why: 'not a user name and password docker can read' },
    ]);
    expect([...result.removals].sort()).toEqual(
      ['ghcr.io', 'split.example.com', 'token.example.com', ECR].sort(),
    );
  });

  it('names an earlier credsStore, but not itself', () => {
    expect(plan({}, { credsStore: 'desktop' }).previousStore).toBe('desktop');
    expect(plan({}, { credsStore: 'ecr-ts' }).previousStore).toBeUndefined();
  });

  it('groups the spellings of one server and moves one login under the key docker looks up', () => {
    const result = plan({ 'https://quay.io/': auth('q', 'pw'), 'QUAY.IO': auth('q', 'pw') });
    expect(result.logins).toEqual([
      { serverUrl: 'QUAY.IO', username: 'q', secret: 'pw', keys: ['https://quay.io/', 'QUAY.IO'] },
    ]);
    expect(result.dropped).toEqual([]);
    expect(result.removals).toEqual(['https://quay.io/', 'QUAY.IO']);
  });

  it('stores a login known only by its URL under the host docker asks for', () => {
    expect(plan({ 'https://ghcr.io/': auth('a', 'b') }).logins[0]?.serverUrl).toBe('ghcr.io');
  });

  it.each([
    [['registry.example.com', 'https://registry.example.com/']],
    [['https://registry.example.com/', 'registry.example.com']],
  ])('keeps the exact key whatever the order (%j), dropping the other', (order) => {
    const logins: Record<string, unknown> = {
      'registry.example.com': auth('current', 'new'),
      'https://registry.example.com/': auth('stale', 'old'),
    };
    const result = plan(Object.fromEntries(order.map((key) => [key, logins[key]])));
    expect(result.logins).toEqual([
      {
        serverUrl: 'registry.example.com',
        username: 'current',
        secret: 'new',
        keys: ['registry.example.com'],
      },
    ]);
    expect(result.dropped).toEqual([
      { key: 'https://registry.example.com/', username: 'stale', keptKey: 'registry.example.com' },
    ]);
    expect([...result.removals].sort()).toEqual(order.slice().sort());
  });

  it('refuses two different logins of which docker could have used either, quoting no secret', () => {
    let error: unknown;
    try {
      plan({
        'https://r.example.com/': auth('one', 'SECRET-1'),
        'http://r.example.com': auth('two', 'SECRET-2'),
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(HelperError);
    expect((error as HelperError).message).toBe(
      `${FILE} has different logins for "r.example.com" under auths["https://r.example.com/"] (user "one") and auths["http://r.example.com"] (user "two"), and docker could have used either: remove the stale one (docker logout, or by hand), then run configure --store again; nothing was changed`,
    );
    expect((error as HelperError).message).not.toContain('SECRET');
  });
});

describe('loginsIn() and removeAuths()', () => {
  it('reads the logins of a config, and removes keys keeping every other byte', () => {
    const text =
      '{\n\t"auths": {\n\t\t"a.io": {"auth": "dTpw"},\n\t\t"b.io": {}\n\t},\n\t"x": 1.50\n}\n';
    expect(loginsIn(JSON.parse(text))).toEqual([{ serverUrl: 'a.io', username: 'u', secret: 'p' }]);
    expect(removeAuths(text, ['a.io'])).toBe(
      '{\n\t"auths": {\n\t\t"b.io": {}\n\t},\n\t"x": 1.50\n}\n',
    );
  });
});
