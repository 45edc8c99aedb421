import fc from 'fast-check';
import { parseConfigFile, parseValidatedConfigFile } from '../../../src/config/parse-config-file';
import { isHelperError } from '../../../src/errors';
import type { RouteTable } from '../../../src/routing/route-table';
import { resolveRoute } from '../../../src/routing/resolve-route';

const FILE = '/home/u/.config/docker-credential-ecr-ts/config.json';

function errorOf(text: string): string {
  try {
    parseConfigFile(text, FILE);
  } catch (error) {
    if (!isHelperError(error, 'CONFIG')) throw error;
    return error.message;
  }
  throw new Error('expected a CONFIG error');
}

const FULL_EXAMPLE = {
  fallback: 'pass',
  registries: {
    '123456789012.dkr.ecr.us-east-1.amazonaws.com': { profile: 'prod' },
    '210987654321.dkr.ecr.*.amazonaws.com': {
      roleArn: 'arn:aws:iam::210987654321:role/puller',
      externalId: 'x1',
      sessionName: 'ci',
    },
    'registry.example.com': { ecr: '123456789012.dkr.ecr.us-east-1.amazonaws.com' },
    '*.corp.example': { helper: 'gcloud' },
    'index.docker.io': {
      secretsManager: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf',
    },
    'quay.io': { anonymous: true },
  },
};

describe('parseConfigFile()', () => {
  it('reads a file with every route kind into a fallback and ordered routes', () => {
    const table = parseConfigFile(JSON.stringify(FULL_EXAMPLE), FILE);
    expect(table.file).toBe(FILE);
    expect(table.fallback).toEqual({ kind: 'helper', name: 'pass' });
    expect(table.entries().map((entry) => [entry.key, entry.route])).toEqual([
      [
        '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        { kind: 'ecr', identity: { profile: 'prod' } },
      ],
      [
        '210987654321.dkr.ecr.*.amazonaws.com',
        {
          kind: 'ecr',
          identity: {
            roleArn: 'arn:aws:iam::210987654321:role/puller',
            externalId: 'x1',
            sessionName: 'ci',
          },
        },
      ],
      [
        'registry.example.com',
        {
          kind: 'alias',
          target: expect.objectContaining({ kind: 'private', region: 'us-east-1' }),
          identity: {},
        },
      ],
      ['*.corp.example', { kind: 'store', store: { kind: 'helper', name: 'gcloud' } }],
      [
        'index.docker.io',
        {
          kind: 'secrets-manager',
          secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf',
          identity: {},
          cacheSeconds: 900,
        },
      ],
      ['quay.io', { kind: 'anonymous' }],
    ]);
  });

  it('defaults: an empty object is the file fallback with no routes', () => {
    const table = parseConfigFile('{}', FILE);
    expect(table.file).toBe(FILE);
    expect(table.fallback).toEqual({ kind: 'file' });
    expect(table.entries()).toEqual([]);
    expect(parseConfigFile('{"fallback":"none"}', FILE).fallback).toEqual({ kind: 'none' });
  });

  it('an empty entry for an ECR host: served with the default identity (and named for list)', () => {
    const table = parseConfigFile(
      JSON.stringify({
        registries: {
          '123456789012.dkr.ecr.us-east-1.amazonaws.com': {},
          'public.ecr.aws': {},
          '*.dkr.ecr.eu-west-1.amazonaws.com': {},
        },
      }),
      FILE,
    );
    expect(table.entries().map(({ key, route }) => [key, route])).toEqual([
      ['123456789012.dkr.ecr.us-east-1.amazonaws.com', { kind: 'ecr', identity: {} }],
      ['public.ecr.aws', { kind: 'ecr', identity: {} }],
      ['*.dkr.ecr.eu-west-1.amazonaws.com', { kind: 'ecr', identity: {} }],
    ]);
  });

  it('reads region and cacheSeconds of a secretsManager entry', () => {
    const table = parseConfigFile(
      JSON.stringify({
        registries: {
          'ghcr.io': { secretsManager: 'ghcr-login', region: 'eu-west-1', cacheSeconds: 60 },
        },
      }),
      FILE,
    );
    expect(table.entries()[0]?.route).toEqual({
      kind: 'secrets-manager',
      secretId: 'ghcr-login',
      region: 'eu-west-1',
      identity: {},
      cacheSeconds: 60,
    });
  });

  it.each([
    ['{', /: not valid JSON \(/],
    ['[]', /config\.json: expected an object$/],
    [
      '{"fallbak":"pass"}',
      /config\.json: fallbak: unknown key \(expected "fallback" or "registries"\)$/,
    ],
    ['{"fallback":3}', /config\.json: fallback: expected a string$/],
    [
      '{"fallback":"/usr/bin/pass"}',
      /config\.json: fallback: expected "file", "none" or a helper name/,
    ],
    ['{"registries":[]}', /config\.json: registries: expected an object$/],
    [
      '{"registries":{"*.corp":{"helper":3}}}',
      /config\.json: registries\["\*\.corp"\]\.helper: expected a string$/,
    ],
    [
      '{"registries":{"*.corp":{"helper":"../x"}}}',
      /registries\["\*\.corp"\]\.helper: expected a helper name/,
    ],
    ['{"registries":{"*.corp":"gcloud"}}', /registries\["\*\.corp"\]: expected an object$/],
    [
      '{"registries":{"a.example":{"helpr":"x"}}}',
      /registries\["a\.example"\]\.helpr: unknown key/,
    ],
    [
      '{"registries":{"A.example":{"helper":"x"}}}',
      /registries\["A\.example"\]: expected a lower-case host name/,
    ],
    [
      '{"registries":{"https://a.example":{"helper":"x"}}}',
      /registries\["https:\/\/a\.example"\]: expected a host name/,
    ],
    ['{"registries":{"a.example/v2":{"helper":"x"}}}', /expected a host name/],
    ['{"registries":{"a..example":{"helper":"x"}}}', /expected a host name/],
    ['{"registries":{"a.example:0":{"helper":"x"}}}', /expected a port between 1 and 65535/],
    [
      '{"registries":{"a.example":{"helper":"x","anonymous":true}}}',
      /registries\["a\.example"\]: "helper" and "anonymous" cannot be combined/,
    ],
    [
      '{"registries":{"a.example":{"helper":"x","profile":"p"}}}',
      /registries\["a\.example"\]\.profile: not allowed with "helper"/,
    ],
    [
      '{"registries":{"a.example":{"anonymous":false}}}',
      /registries\["a\.example"\]\.anonymous: expected true/,
    ],
    [
      '{"registries":{"a.example":{"ecr":"b.example"}}}',
      /registries\["a\.example"\]\.ecr: expected an ECR or ECR Public registry host/,
    ],
    [
      '{"registries":{"a.example":{"profile":"p"}}}',
      /registries\["a\.example"\]: "a\.example" is not an ECR registry host/,
    ],
    [
      '{"registries":{"a.example":{}}}',
      /registries\["a\.example"\]: "a\.example" is not an ECR registry host, and an empty entry names an ECR registry/,
    ],
    [
      '{"registries":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":{"region":"us-east-1"}}}',
      /\.region: applies to "secretsManager" entries only/,
    ],
    [
      '{"registries":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":{"roleArn":"role/x"}}}',
      /\.roleArn: expected an IAM role ARN/,
    ],
    [
      '{"registries":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":{"externalId":"x1"}}}',
      /\.externalId: needs "roleArn"/,
    ],
    [
      '{"registries":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":{"roleArn":"arn:aws:iam::123456789012:role/r","sessionName":"a b"}}}',
      /\.sessionName: expected 2 to 64 characters/,
    ],
    [
      '{"registries":{"a.example":{"secretsManager":"x","cacheSeconds":1.5}}}',
      /\.cacheSeconds: expected a whole number of seconds/,
    ],
    [
      '{"registries":{"a.example":{"secretsManager":"x","region":"mars"}}}',
      /\.region: expected an AWS region name/,
    ],
    [
      '{"registries":{"a.example":{"secretsManager":"has space"}}}',
      /\.secretsManager: expected a secret ARN or name/,
    ],
  ])('refuses %s with one line naming the file and key', (text, expected) => {
    const message = errorOf(text);
    expect(message.startsWith(`${FILE}: `)).toBe(true);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  // JSON.parse keeps the last of two equal keys: an entry written earlier in the file (and read
  // by a person as the one in force) would silently stop counting.
  it.each([
    ['{"fallback":"none","fallback":"file"}', 'fallback: appears twice'],
    [
      '{"registries":{"dup.example.com":{"anonymous":true},"dup.example.com":{"helper":"echoenv"}}}',
      'registries["dup.example.com"]: appears twice',
    ],
    [
      '{"registries":{"a.example":{"helper":"x","helper":"y"}}}',
      'registries["a.example"].helper: appears twice',
    ],
    // Spelled differently, read the same by JSON.
    ['{"registries":{},"regi\\u0073tries":{}}', 'registries: appears twice'],
    [
      '{"registries":{"b.example":{"helper":"x"}},"fallback":"none","registries":{}}',
      'registries: appears twice',
    ],
  ])('refuses the duplicate keys of %s, naming the key', (text, expected) => {
    expect(errorOf(text)).toBe(`${FILE}: ${expected}: keep one (JSON keeps only the last)`);
  });

  it('accepts equal keys in different objects, and a key equal to a value', () => {
    const text =
      '{"fallback":"file","registries":{"a.example":{"helper":"fallback"},"b.example":{"helper":"x"}}}';
    expect(() => parseConfigFile(text, FILE)).not.toThrow();
  });
});

describe('parseValidatedConfigFile()', () => {
  /** The route of a host, or the error it raises, as comparable text. */
  function outcome(table: RouteTable, serverUrl: string): string {
    try {
      return JSON.stringify(resolveRoute(serverUrl, table));
    } catch (error) {
      return `error: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  const KEYS = [
    'a.example.com',
    'a.example.com:5000',
    '*.example.com',
    'reg-*.example.com:443',
    '*.*.com',
    'example.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.*.amazonaws.com',
    '*.dkr.ecr.eu-west-1.amazonaws.com',
    'mirror.corp.example',
  ];
  const RULES = [
    { helper: 'pass' },
    { anonymous: true },
    { ecr: '123456789012.dkr.ecr.us-east-1.amazonaws.com', profile: 'prod' },
    { secretsManager: 'hub-login', region: 'eu-west-1' },
    {},
    { roleArn: 'arn:aws:iam::123456789012:role/puller', externalId: 'x1' },
  ];
  const HOSTS = [
    'a.example.com',
    'https://A.example.com:5000/v2/',
    'a.example.com:443',
    'reg-1.example.com:443',
    'b.example.com',
    'x.y.com',
    'example.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    '999999999999.dkr.ecr.eu-west-1.amazonaws.com',
    'mirror.corp.example',
    'ghcr.io',
  ];

  it('gives the routes parseConfigFile gives, for every host, and the same entries', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...RULES)), {
          maxLength: 8,
        }),
        fc.constantFrom('file', 'none', 'pass'),
        (pairs, fallback) => {
          const text = JSON.stringify({ fallback, registries: Object.fromEntries(pairs) });
          let whole: RouteTable;
          try {
            whole = parseConfigFile(text, FILE);
          } catch {
            return; // only files parseConfigFile accepted are ever parsed lazily
          }
          const lazy = parseValidatedConfigFile(text, FILE);
          expect(lazy.fallback).toEqual(whole.fallback);
          for (const host of HOSTS) expect(outcome(lazy, host)).toBe(outcome(whole, host));
          expect(lazy.entries()).toEqual(whole.entries());
          compared += 1;
        },
      ),
      { numRuns: 400 },
    );
    // Not vacuous: most generated files are valid ones.
    expect(compared).toBeGreaterThan(100);
  });

  it('parses an entry only when a host may need it, through the same checks', () => {
    // Only a file parseConfigFile accepted is ever given to it (load-config.ts); this one was
    // not, which makes visible what it reads: the entries about the host, and all of them for
    // entries().
    const text = JSON.stringify({
      registries: { 'quay.example.io': { anonymous: true }, '*.corp': { helper: 3 } },
    });
    const lazy = parseValidatedConfigFile(text, FILE);
    expect(resolveRoute('quay.example.io', lazy)).toEqual({ kind: 'anonymous' });
    const problem = `${FILE}: registries["*.corp"].helper: expected a string`;
    expect(() => resolveRoute('git.corp', lazy)).toThrow(problem);
    expect(() => lazy.entries()).toThrow(problem);
    expect(errorOf(text)).toBe(problem);
  });

  it('checks the top level as parseConfigFile does', () => {
    expect(() => parseValidatedConfigFile('{"fallback": null}', FILE)).toThrow(
      `${FILE}: fallback: expected a string`,
    );
    expect(errorOf('{"fallback": null}')).toBe(`${FILE}: fallback: expected a string`);
  });
});
