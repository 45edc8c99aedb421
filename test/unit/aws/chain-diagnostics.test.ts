import { createChainDiagnostics } from '../../../src/aws/chain-diagnostics';
import type { CredentialSource } from '../../../src/aws/credential-sources';

// The debug lines the SDK's default chain logs, as captured from a real run with a refused
// container endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:3/creds).
const REFUSED_CONTAINER_RUN = [
  '@aws-sdk/credential-provider-node - defaultProvider::fromEnv',
  '@aws-sdk/credential-provider-env - fromEnv',
  '@smithy/property-provider -> Unable to find environment variable credentials.',
  '@aws-sdk/credential-provider-node - defaultProvider::fromSSO',
  '@smithy/property-provider -> Skipping SSO provider in default chain (inputs do not include SSO fields).',
  '@aws-sdk/credential-provider-node - defaultProvider::fromIni',
  '@smithy/property-provider -> Could not resolve credentials using profile: [default] in configuration/credentials file(s).',
  '@aws-sdk/credential-provider-node - defaultProvider::fromProcess',
  '@smithy/property-provider -> Profile default could not be found in shared credentials file.',
  '@aws-sdk/credential-provider-node - defaultProvider::fromTokenFile',
  '@smithy/property-provider -> Web identity configuration not specified',
  '@aws-sdk/credential-provider-node - defaultProvider::remoteProvider',
  '@aws-sdk/credential-provider-node - remoteProvider::fromHttp/fromContainerMetadata',
  '@aws-sdk/credential-provider-http - fromHttp',
  '@smithy/property-provider -> Error: connect ECONNREFUSED 127.0.0.1:3',
  '@smithy/property-provider -> Error: connect ECONNREFUSED 127.0.0.1:3',
  '@smithy/property-provider (!) Could not load credentials from any providers',
];
const FULL_URI_ENV = {
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:3/creds',
  AWS_EC2_METADATA_DISABLED: 'true',
};
// Every source the chain lists configured, so each failure it recorded is named.
const EVERY_SOURCE_ENV = {
  ...FULL_URI_ENV,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-secret',
  AWS_PROFILE: 'dev',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/nowhere/token',
  AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/example',
};

describe('createChainDiagnostics()', () => {
  it('names the first failure of each configured source the chain consulted', () => {
    const diagnostics = createChainDiagnostics(EVERY_SOURCE_ENV);
    for (const line of REFUSED_CONTAINER_RUN) diagnostics.observe(line);
    // shared-config: fromIni failed first, then fromProcess; SSO is not a source of its own.
    expect(diagnostics.describeConfiguredFailures().split('; ')).toEqual([
      'environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY failed: Unable to find environment variable credentials.',
      'profile "dev" in ~/.aws/config and ~/.aws/credentials (SSO, credential_process, assume-role) failed: Could not resolve credentials using profile: [default] in configuration/credentials file(s).',
      'web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN) failed: Web identity configuration not specified',
      'container credentials endpoint http://127.0.0.1:3 (AWS_CONTAINER_CREDENTIALS_FULL_URI) failed: connect ECONNREFUSED 127.0.0.1:3',
    ]);
  });

  it('explains only the sources the environment configures', () => {
    const diagnostics = createChainDiagnostics(FULL_URI_ENV);
    for (const line of REFUSED_CONTAINER_RUN) diagnostics.observe(line);
    expect(diagnostics.describeConfiguredFailures()).toBe(
      'container credentials endpoint http://127.0.0.1:3 (AWS_CONTAINER_CREDENTIALS_FULL_URI) failed: connect ECONNREFUSED 127.0.0.1:3',
    );
  });

  it('reports each source as the chain reaches it (for timeout messages)', () => {
    const reached: CredentialSource['name'][] = [];
    const diagnostics = createChainDiagnostics(FULL_URI_ENV, (source) => reached.push(source.name));
    for (const line of REFUSED_CONTAINER_RUN.slice(0, 14)) diagnostics.observe(line);
    // SSO profiles go through fromIni: the chain's own SSO link is not a source we list.
    expect(reached).toEqual([
      'environment',
      'shared-config',
      'shared-config',
      'web-identity',
      'container',
    ]);
    expect(diagnostics.current()).toBe('container');
    expect(diagnostics.currentLabel()).toBe(
      'container credentials endpoint http://127.0.0.1:3 (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
    );
  });

  it('never repeats the ECS relative URI (a capability) from an SDK message', () => {
    const relative = '/v2/credentials/6f1e2b1c-secret';
    const diagnostics = createChainDiagnostics({
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative,
    });
    diagnostics.observe(
      '@aws-sdk/credential-provider-node - remoteProvider::fromHttp/fromContainerMetadata',
    );
    diagnostics.observe(
      `@smithy/property-provider -> Error: request to http://169.254.170.2${relative} failed`,
    );
    expect(diagnostics.describeConfiguredFailures()).toContain('http://169.254.170.2/*** failed');
    expect(diagnostics.describeConfiguredFailures()).not.toContain(relative);
  });

  it('names IMDS only when nothing else is configured', () => {
    const lines = [
      '@aws-sdk/credential-provider-node - remoteProvider::fromInstanceMetadata',
      '@smithy/property-provider -> Could not load credentials from IMDS',
    ];
    const alone = createChainDiagnostics({});
    for (const line of lines) alone.observe(line);
    expect(alone.describeConfiguredFailures()).toBe(
      'EC2 instance metadata (IMDS) failed: Could not load credentials from IMDS',
    );
    const withProfile = createChainDiagnostics({ AWS_PROFILE: 'dev' });
    for (const line of lines) withProfile.observe(line);
    expect(withProfile.describeConfiguredFailures()).toBe('');
  });

  it('ignores failures before any stage marker and lines that are not failures', () => {
    const diagnostics = createChainDiagnostics(EVERY_SOURCE_ENV);
    diagnostics.observe(
      '@smithy/property-provider -> AWS_PROFILE is set, skipping fromEnv provider.',
    );
    diagnostics.observe('endpoints evaluateCondition: isSet($Endpoint) = true');
    expect(diagnostics.describeConfiguredFailures()).toBe('');
    expect(diagnostics.current()).toBeUndefined();
    expect(diagnostics.currentLabel()).toBe('the AWS credential chain');
  });
});
