import { HelperError } from '../../../src/errors';
import { HELPER_SUFFIX, planConfigure } from '../../../src/commands/plan-configure';
import { ECR_HOST as PRIVATE } from '../../support/registry-host';

const FILE = '/home/u/.docker/config.json';

function plan(text: string, registries: string[], store = false) {
  return planConfigure(text, { registries, store }, FILE);
}

function thrown(run: () => unknown): HelperError {
  try {
    run();
  } catch (error) {
    if (error instanceof HelperError) return error;
    throw error;
  }
  throw new Error('expected a HelperError');
}

describe('planConfigure() and the registries it is given', () => {
  /** The keys a plan for an empty config sets. */
  const keysSet = (registries: string[]): string[] =>
    plan('{}', registries).changes.map((change) => change.key);

  it.each([
    [PRIVATE, PRIVATE],
    [`https://${PRIVATE}/v2/`, PRIVATE],
    [`${PRIVATE.toUpperCase()}:443`, PRIVATE],
    [`${PRIVATE}/team/app:1.0`, PRIVATE],
    ['https://public.ecr.aws/amazonlinux', 'public.ecr.aws'],
    ['123456789012.dkr-ecr-fips.us-west-2.on.aws', '123456789012.dkr-ecr-fips.us-west-2.on.aws'],
  ])('reduces %s to the host docker looks up: %s', (input, host) => {
    expect(keysSet([input])).toEqual([`credHelpers["${host}"]`]);
  });

  it('sets a registry named twice once', () => {
    expect(keysSet([PRIVATE, `https://${PRIVATE}`])).toEqual([`credHelpers["${PRIVATE}"]`]);
  });

  it.each(['docker.io', 'registry-1.docker.io', `${PRIVATE}.fake.example.com`, 'not a host'])(
    'rejects %s as not ECR, naming it',
    (input) => {
      const error = thrown(() => plan('{}', [input]));
      expect(error.code).toBe('USAGE');
      expect(error.message).toContain(JSON.stringify(input));
      expect(error.message).toContain('not an Amazon ECR registry');
    },
  );
});

describe('planConfigure()', () => {
  it('adds credHelpers entries and keeps every other key, in its place', () => {
    const text =
      '{\n  "auths": {"x": {}},\n  "credHelpers": {"gcr.io": "gcloud"},\n  "zeta": 1\n}\n';
    const result = plan(text, [PRIVATE, 'public.ecr.aws']);
    expect(result.changes).toEqual([
      { key: `credHelpers["${PRIVATE}"]`, before: undefined, after: HELPER_SUFFIX },
      { key: 'credHelpers["public.ecr.aws"]', before: undefined, after: HELPER_SUFFIX },
    ]);
    const written = JSON.parse(result.text ?? 'null') as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(['auths', 'credHelpers', 'zeta']);
    expect(written).toEqual({
      auths: { x: {} },
      credHelpers: { 'gcr.io': 'gcloud', [PRIVATE]: 'ecr-ts', 'public.ecr.aws': 'ecr-ts' },
      zeta: 1,
    });
  });

  it('keeps the file indentation and final newline', () => {
    expect(plan('{\n  "a": 1\n}\n', [PRIVATE]).text).toMatch(/^\{\n {2}"a": 1,\n {2}"credHelpers"/);
    expect(plan('{\n\t"a": 1\n}', [PRIVATE]).text?.endsWith('}')).toBe(true);
  });

  it('starts a missing or empty file with tabs, as docker writes it', () => {
    expect(plan('', [PRIVATE]).text).toBe(
      `{\n\t"credHelpers": {\n\t\t"${PRIVATE}": "ecr-ts"\n\t}\n}\n`,
    );
  });

  it('changes nothing when every entry is already set (no text to write)', () => {
    const text = JSON.stringify({ credsStore: 'ecr-ts', credHelpers: { [PRIVATE]: 'ecr-ts' } });
    const result = plan(text, [PRIVATE], true);
    expect(result.text).toBeNull();
    expect(result.changes).toEqual([]);
    expect(result.unchanged).toEqual(['credsStore', `credHelpers["${PRIVATE}"]`]);
  });

  it('sets credsStore with --store and reports the value it replaces', () => {
    const result = plan(JSON.stringify({ credsStore: 'desktop' }), [], true);
    expect(result.changes).toEqual([{ key: 'credsStore', before: 'desktop', after: 'ecr-ts' }]);
    expect(JSON.parse(result.text ?? '{}')).toEqual({ credsStore: 'ecr-ts' });
  });

  it('takes over a registry another helper served, saying which', () => {
    const result = plan(JSON.stringify({ credHelpers: { [PRIVATE]: 'ecr-login' } }), [PRIVATE]);
    expect(result.changes).toEqual([
      { key: `credHelpers["${PRIVATE}"]`, before: 'ecr-login', after: 'ecr-ts' },
    ]);
  });

  it.each([
    ['invalid JSON', '{"auths": {', 'is not valid JSON'],
    ['a JSON array', '[]', 'is not a JSON object'],
    ['a credHelpers that is not an object', '{"credHelpers": "ecr-ts"}', '"credHelpers" in'],
  ])('refuses %s with a message naming the file', (_, text, words) => {
    const error = thrown(() => plan(text, [PRIVATE]));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toContain(FILE);
    expect(error.message).toContain(words);
    expect(error.message).toContain('left it untouched');
  });
});

describe('planConfigure() and the text it is given', () => {
  const SECRET_AUTH = Buffer.from('ciuser:GlpatSuperSecretRegistryPassword123').toString('base64');

  it.each([
    [`{"auths":{"r.example.com":{"auth":${SECRET_AUTH}}}}`, 'line 1, column 35'],
    [`{\n\t"auths": {\n\t\t"r": {"auth": ${SECRET_AUTH}}\n\t}\n}`, 'line 3, column 17'],
    [`{"auths":{"r":{"auth":"${SECRET_AUTH}"}},"x":undefined}`, 'line 1, column 88'],
    [`{"auths":{"r":{"auth":"${SECRET_AUTH}"}}`, 'line 1, column 83'],
  ])('reports where %j is broken by line and column, quoting none of it', (text, where) => {
    const error = thrown(() => plan(text, [PRIVATE]));
    expect(error.message).toBe(
      `${FILE} is not valid JSON (${where}); fix it by hand, configure left it untouched`,
    );
    for (let start = 0; start + 6 <= SECRET_AUTH.length; start += 1) {
      expect(error.message).not.toContain(SECRET_AUTH.slice(start, start + 6));
    }
  });

  it('names a byte order mark in plain words, without the invisible character', () => {
    const error = thrown(() => plan('\ufeff{"auths": {}}', [PRIVATE]));
    expect(error.message).toContain('byte order mark');
    expect(error.message).not.toContain('\ufeff');
    expect(error.message).toContain('left it untouched');
  });

  it.each([
    ['a comment', '{"a": 1 /* note */}'],
    ['a trailing comma', '{"a": 1,}'],
    ['two documents', '{"a": 1}{"b": 2}'],
    ['NaN', '{"a": NaN}'],
  ])('refuses %s, which docker cannot read either', (_, text) => {
    expect(thrown(() => plan(text, [PRIVATE])).message).toContain('is not valid JSON (line 1');
  });

  it('keeps numbers JSON.parse cannot hold, and string escapes, exactly as written', () => {
    const text =
      '{\n\t"big": 12345678901234567890,\n\t"price": 1.50,\n\t"e": 1e3,\n\t"neg": -0,\n\t"s": "caf\\u00e9 \\/ x"\n}\n';
    const result = plan(text, [PRIVATE], true);
    expect(result.text).toBe(
      `{\n\t"big": 12345678901234567890,\n\t"price": 1.50,\n\t"e": 1e3,\n\t"neg": -0,\n\t"s": "caf\\u00e9 \\/ x",\n\t"credsStore": "ecr-ts",\n\t"credHelpers": {\n\t\t"${PRIVATE}": "ecr-ts"\n\t}\n}\n`,
    );
  });

  it('changes only the value it sets, in place', () => {
    const text = '{"credsStore": "desktop", "n": 1.0, "credHelpers": {"gcr.io": "gcloud"}}';
    expect(plan(text, [], true).text).toBe(
      '{"credsStore": "ecr-ts", "n": 1.0, "credHelpers": {"gcr.io": "gcloud"}}',
    );
  });

  it('fills a credHelpers that is null', () => {
    const result = plan('{"credHelpers": null}', [PRIVATE]);
    expect(JSON.parse(result.text ?? '{}')).toEqual({ credHelpers: { [PRIVATE]: 'ecr-ts' } });
  });

  it.each([
    ['credsStore', '{"credsStore": "a", "credsStore": "b"}', true],
    ['credHelpers', '{"credHelpers": {}, "credHelpers": {}}', false],
    [PRIVATE, `{"credHelpers": {"${PRIVATE}": "a", "${PRIVATE}": "b"}}`, false],
  ])(
    'refuses a file with the key %s twice (docker reads the last, an edit the first)',
    (key, text, store) => {
      const error = thrown(() => plan(text, [PRIVATE], store));
      expect(error.code).toBe('CONFIG');
      expect(error.message).toContain(`${JSON.stringify(key)} twice`);
      expect(error.message).toContain('left it untouched');
    },
  );
});
