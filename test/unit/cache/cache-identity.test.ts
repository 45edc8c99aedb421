import {
  credentialIdentity,
  entryFileName,
  routeIdentity,
  scopeFor,
  secretScopeFor,
} from '../../../src/cache/cache-identity';
import { sha256Hex } from '../../../src/cache/sha256';
import { parseRegistry, type EcrRegistry } from '../../../src/registry/parse-registry';

const home = '/home/user';
const noFiles = () => '';
const identity = (env: Record<string, string>, extra: { stamp?: (p: string) => string } = {}) =>
  credentialIdentity({
    env,
    home,
    stamp: extra.stamp ?? noFiles,
  });

const ecs = { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/task-1' };

describe('credentialIdentity()', () => {
  it('is stable for equal inputs and a hash that shows no input', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAABCDEFGHIJKLMNOP', AWS_SECRET_ACCESS_KEY: 's' };
    expect(identity(env)).toBe(identity({ ...env }));
    expect(identity(env)).toMatch(/^[0-9a-f]{64}$/);
    expect(identity(ecs)).not.toContain('task-1');
  });

  it.each([
    ['another access key id', { AWS_ACCESS_KEY_ID: 'AKIAOTHER', AWS_SECRET_ACCESS_KEY: 's' }],
    ['another profile', { AWS_PROFILE: 'prod' }],
    [
      'another ECS task (relative URI)',
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/task-2' },
    ],
    [
      'a Pod Identity full URI',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' },
    ],
    [
      'another web identity role',
      { AWS_ROLE_ARN: 'arn:aws:iam::1:role/b', AWS_WEB_IDENTITY_TOKEN_FILE: '/t' },
    ],
    ['another config file', { AWS_CONFIG_FILE: '/elsewhere/config' }],
    ['another ECR endpoint', { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' }],
    // STS answers for web identity, a profile's role_arn and a route's roleArn.
    ['another STS endpoint', { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:2' }],
  ])('changes with %s', (_name, env) => {
    expect(identity(env)).not.toBe(identity(ecs));
    expect(identity(env)).not.toBe(identity({}));
  });

  it('tells web identity roles apart', () => {
    const web = (role: string) => ({
      AWS_ROLE_ARN: role,
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
    });
    expect(identity(web('arn:aws:iam::1:role/a'))).not.toBe(identity(web('arn:aws:iam::1:role/b')));
  });

  it('changes when the AWS config file is edited', () => {
    expect(identity({}, { stamp: () => '1:10' })).not.toBe(identity({}, { stamp: () => '2:10' }));
  });

  it('ignores what does not select credentials', () => {
    expect(identity({ ...ecs, AWS_REGION: 'us-west-2', PATH: '/bin' })).toBe(identity(ecs));
  });
});

describe('scopeFor() and entryFileName()', () => {
  const registry = (host: string) => parseRegistry(host) as EcrRegistry;
  it('keys private ECR by partition and region, ECR Public by its one API', () => {
    expect(scopeFor(registry('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'), 'i')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      service: 'ecr',
      identity: 'i',
    });
    expect(scopeFor(registry('ecr-public.aws.com'), 'i')).toEqual(
      scopeFor(registry('public.ecr.aws'), 'i'),
    );
  });

  it('gives every scope its own file name, the same for two accounts of one region', () => {
    const name = (host: string, id = 'i') => entryFileName(scopeFor(registry(host), id));
    const names = new Set([
      name('123456789012.dkr.ecr.eu-west-1.amazonaws.com'),
      name('123456789012.dkr.ecr.eu-west-2.amazonaws.com'),
      name('123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'j'),
      name('public.ecr.aws'),
    ]);
    expect(names.size).toBe(4);
    expect(name('210987654321.dkr.ecr.eu-west-1.amazonaws.com')).toBe(
      name('123456789012.dkr.ecr.eu-west-1.amazonaws.com'),
    );
    for (const file of names) expect(file).toMatch(/^[0-9a-f]{40}\.json$/);
  });
});

describe('routeIdentity() with a service-account token (docs/kubelet.md)', () => {
  const roleArn = 'arn:aws:iam::123456789012:role/app';
  const sa = (subject: string, token = 'tok') => ({ roleArn, webIdentity: { token, subject } });

  it('keeps the hash of a route without a token as it was (no cache written before is lost)', () => {
    const expected = sha256Hex(JSON.stringify(['base', null, roleArn, null, null]));
    expect(routeIdentity('base', { roleArn })).toBe(expected);
  });

  it('differs per role and per subject, never per token (they rotate), and never shows either', () => {
    const a = routeIdentity('base', sa('system:serviceaccount:ns:a'));
    expect(routeIdentity('base', sa('system:serviceaccount:ns:a', 'rotated'))).toBe(a);
    expect(routeIdentity('base', sa('system:serviceaccount:ns:b'))).not.toBe(a);
    expect(routeIdentity('base', { roleArn })).not.toBe(a);
    expect(
      routeIdentity('base', { ...sa('system:serviceaccount:ns:a'), roleArn: `${roleArn}-2` }),
    ).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('secretScopeFor()', () => {
  const request = {
    host: 'hub.example.com',
    secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf',
    identity: {},
    cacheSeconds: 900,
  };
  const scope = (env: Record<string, string>) => secretScopeFor(request, identity({}), env);

  it('keys a login by the Secrets Manager endpoint that answered it', () => {
    const real = scope({});
    const fake = scope({ AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:18181' });
    expect(fake.identity).not.toBe(real.identity);
    expect(entryFileName(fake)).not.toBe(entryFileName(real));
    expect(scope({ AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:18181' })).toEqual(fake);
    // AWS_ENDPOINT_URL (every service) counts too; an ECR endpoint does not select the secret.
    expect(scope({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }).identity).not.toBe(real.identity);
    expect(scope({ AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:1' })).toEqual(real);
  });
});
