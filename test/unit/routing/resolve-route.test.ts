import { parseConfigFile } from '../../../src/config/parse-config-file';
import { isHelperError } from '../../../src/errors';
import { resolveRoute } from '../../../src/routing/resolve-route';
import { DEFAULT_ROUTE_TABLE } from '../../../src/routing/route-table';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const table = parseConfigFile(
  JSON.stringify({
    fallback: 'pass',
    registries: {
      [ECR]: { profile: 'prod' },
      '210987654321.dkr.ecr.*.amazonaws.com': {
        roleArn: 'arn:aws:iam::210987654321:role/puller',
        externalId: 'x1',
      },
      'registry.example.com': { ecr: ECR, profile: 'proxy' },
      '*.corp.example': { helper: 'gcloud' },
      'index.docker.io': { secretsManager: 'hub', region: 'eu-west-1' },
      'quay.io': { anonymous: true },
      '*.ecr.*.amazonaws.com': {},
      'public.ecr.aws': { anonymous: true },
      '*.dkr.ecr.us-west-2.amazonaws.com': { profile: 'west' },
    },
  }),
  '/c/config.json',
);

describe('resolveRoute()', () => {
  it('ECR hosts need no entry: the default identity', () => {
    expect(
      resolveRoute('999999999999.dkr.ecr.eu-west-1.amazonaws.com', DEFAULT_ROUTE_TABLE),
    ).toEqual({
      kind: 'ecr',
      registry: expect.objectContaining({ accountId: '999999999999', region: 'eu-west-1' }),
      identity: {},
    });
  });

  it('gives an ECR host the identity of its entry, exact or by pattern', () => {
    expect(resolveRoute(`https://${ECR}/v2/app`, table)).toMatchObject({
      kind: 'ecr',
      registry: { host: ECR },
      identity: { profile: 'prod' },
    });
    expect(resolveRoute('210987654321.dkr.ecr.eu-central-1.amazonaws.com', table)).toMatchObject({
      kind: 'ecr',
      registry: { region: 'eu-central-1' },
      identity: { roleArn: 'arn:aws:iam::210987654321:role/puller', externalId: 'x1' },
    });
  });

  it('an alias answers with the target registry and its identity', () => {
    expect(resolveRoute('registry.example.com', table)).toMatchObject({
      kind: 'alias',
      target: { kind: 'private', host: ECR },
      identity: { profile: 'proxy' },
    });
  });

  it('helper, secretsManager and anonymous entries', () => {
    expect(resolveRoute('git.corp.example', table)).toEqual({
      kind: 'store',
      store: { kind: 'helper', name: 'gcloud' },
    });
    expect(resolveRoute('https://index.docker.io/v1/', table)).toEqual({
      kind: 'secrets-manager',
      secretId: 'hub',
      region: 'eu-west-1',
      identity: {},
      cacheSeconds: 900,
    });
    expect(resolveRoute('quay.io', table)).toEqual({ kind: 'anonymous' });
    // An explicit entry decides for an ECR host too.
    expect(resolveRoute('public.ecr.aws', table)).toEqual({ kind: 'anonymous' });
  });

  it('every other host goes to the fallback', () => {
    expect(resolveRoute('ghcr.io', table)).toEqual({
      kind: 'store',
      store: { kind: 'helper', name: 'pass' },
    });
    expect(resolveRoute('ghcr.io', DEFAULT_ROUTE_TABLE)).toEqual({
      kind: 'store',
      store: { kind: 'file' },
    });
  });

  it('a look-alike covered by an identity pattern is refused, never treated as ECR', () => {
    let caught: unknown;
    try {
      resolveRoute('api.ecr.us-east-1.amazonaws.com', table);
    } catch (error) {
      caught = error;
    }
    expect(isHelperError(caught, 'CONFIG')).toBe(true);
    expect((caught as Error).message).toMatch(
      /^\/c\/config\.json: registries\["\*\.ecr\.\*\.amazonaws\.com"\] gives an AWS identity, which applies to ECR hosts only, but "api\.ecr\.us-east-1\.amazonaws\.com" is not one/,
    );
    // A fake ECR name under a pattern stays outside it: anchored, `*` never crosses a dot.
    expect(
      resolveRoute('123456789012.dkr.ecr.us-west-2.amazonaws.com.fake.example.com', table),
    ).toEqual({ kind: 'store', store: { kind: 'helper', name: 'pass' } });
  });
});
