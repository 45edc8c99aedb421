import { credentialSources, describeTriedSources } from '../../../src/aws/credential-sources';

describe('credentialSources()', () => {
  it('lists the default chain in the SDK order', () => {
    expect(credentialSources({}).map((source) => source.name)).toEqual([
      'environment',
      'shared-config',
      'web-identity',
      'container',
      'imds',
    ]);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'environment',
      { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's' },
      'environment',
    ],
    [
      'web identity',
      { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' },
      'web-identity',
    ],
    ['a profile', { AWS_PROFILE: 'dev' }, 'shared-config'],
    [
      'the ECS relative URI',
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' },
      'container',
    ],
    [
      'the full URI',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' },
      'container',
    ],
  ])('marks %s as configured', (_, env, name) => {
    const source = credentialSources(env).find((candidate) => candidate.name === name);
    expect(source?.configured).toBe(true);
  });

  it('needs both halves of a pair', () => {
    const sources = credentialSources({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_ROLE_ARN: 'arn' });
    expect(sources.find((s) => s.name === 'environment')?.configured).toBe(false);
    expect(sources.find((s) => s.name === 'web-identity')?.configured).toBe(false);
  });

  it('never shows the ECS relative URI (a capability), only the fixed host', () => {
    const secretPath = '/v2/credentials/0b8f3c7e-secret-task-path';
    const text = describeTriedSources({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: secretPath });
    expect(text).toContain('container credentials endpoint http://169.254.170.2');
    expect(text).not.toContain(secretPath);
  });

  it('shows only the origin of the full URI (no path or query token)', () => {
    const text = describeTriedSources({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://user:pw@127.0.0.1:8080/creds?token=abc',
    });
    expect(text).toContain('http://127.0.0.1:8080 (AWS_CONTAINER_CREDENTIALS_FULL_URI)');
    expect(text).not.toMatch(/pw|token=abc|\/creds/);
  });

  it('says when IMDS is disabled', () => {
    expect(describeTriedSources({ AWS_EC2_METADATA_DISABLED: 'true' })).toContain(
      'EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)',
    );
    expect(credentialSources({ AWS_EC2_METADATA_DISABLED: 'true' }).at(-1)?.configured).toBe(false);
  });

  it('names the chosen profile', () => {
    expect(describeTriedSources({ AWS_PROFILE: 'ci' })).toContain('profile "ci"');
    expect(describeTriedSources({})).toContain('profile "default"');
  });
});
