import {
  doctorIn,
  ECR_HOST,
  hang,
  healthyWorld,
  IMAGE,
  KEYS,
  NOW,
  sdkError,
  type DoctorWorld,
} from '../../../support/fake-doctor';

const ROLE = 'arn:aws:iam::123456789012:role/puller';
const ENV_SOURCE = 'environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';

async function awsCredentials(change: (world: DoctorWorld) => void, subject = IMAGE) {
  const world = healthyWorld();
  change(world);
  const { by, trace } = await doctorIn(world, subject, { stepTimeoutMs: 200 });
  return { finding: by['aws-credentials'], by, trace };
}

describe('aws-credentials', () => {
  it('passes with the kind of credentials, the source that gave them and their expiry', async () => {
    const keys = await awsCredentials(() => undefined);
    expect(keys.finding).toEqual({
      name: 'aws-credentials',
      ok: true,
      detail: `long-term keys from ${ENV_SOURCE}; no expiry given`,
    });
    const temporary = await awsCredentials((world) => {
      world.credentials = async () => ({
        ...KEYS,
        sessionToken: 'session-SECRET',
        expiration: new Date(NOW + 90 * 60_000),
      });
    });
    expect(temporary.finding.detail).toBe(
      'temporary credentials from the default credential chain; expire 2026-06-01T13:30:00.000Z (in 1 h 30 min)',
    );
  });

  it("uses the route's profile, and its region, as get does", async () => {
    let asked: { profile?: string; region: string } | undefined;
    const { finding } = await awsCredentials((world) => {
      world.configFile = { registries: { [ECR_HOST]: { profile: 'dev' } } };
      world.credentials = async (options) => {
        asked = {
          ...(options.profile ? { profile: options.profile } : {}),
          region: options.region,
        };
        return KEYS;
      };
    });
    expect(asked).toEqual({ profile: 'dev', region: 'eu-west-1' });
    expect(finding.detail).toBe('long-term keys from profile "dev"; no expiry given');
  });

  it("assumes the route's role and says where, signed with which credentials", async () => {
    const { finding, trace } = await awsCredentials((world) => {
      world.configFile = { registries: { [ECR_HOST]: { roleArn: ROLE, sessionName: 'doc' } } };
    });
    expect(finding.detail).toBe(
      `role ${ROLE} assumed with sts:AssumeRole at https://sts.eu-west-1.amazonaws.com, signed with long-term keys from ${ENV_SOURCE}; expire 2026-06-01T13:00:00.000Z (in 1 h)`,
    );
    expect(trace.roles[0]).toMatchObject({ roleArn: ROLE, sessionName: 'doc', credentials: KEYS });
  });

  it('fails a role that cannot be assumed with the one line get reports', async () => {
    const { finding, by } = await awsCredentials((world) => {
      world.configFile = { registries: { [ECR_HOST]: { roleArn: ROLE } } };
      world.assumeRole = async (options) => {
        options.onRequest('https://sts.eu-west-1.amazonaws.com');
        throw sdkError({
          name: 'AccessDenied',
          message: 'not authorized to perform: sts:AssumeRole',
          status: 403,
        });
      };
    });
    expect(finding).toMatchObject({
      ok: false,
      detail: expect.stringContaining(
        `sts:AssumeRole of ${ROLE} at https://sts.eu-west-1.amazonaws.com`,
      ),
    });
    expect(finding.hint).toBeUndefined();
    expect(by['caller-identity']).toMatchObject({
      ok: null,
      detail: 'needs AWS credentials (see aws-credentials)',
    });
  });

  it('fails without credentials naming the sources tried, with what to do', async () => {
    const { finding } = await awsCredentials((world) => {
      world.env['AWS_EC2_METADATA_DISABLED'] = 'true';
      world.credentials = async () => {
        throw sdkError({
          name: 'CredentialsProviderError',
          message: 'Could not load credentials from any providers',
        });
      };
    });
    expect(finding).toEqual({
      name: 'aws-credentials',
      ok: false,
      detail: expect.stringMatching(
        /^no AWS credentials found to call ecr:GetAuthorizationToken\. Sources tried: /,
      ),
      hint: 'Configure one of them (for ECS, give the task an IAM task role).',
    });
  });

  it('fails a source that cannot be reached, naming it, with a network hint', async () => {
    const { finding } = await awsCredentials((world) => {
      world.credentials = async (options) => {
        options.observe('@aws-sdk/credential-provider-node - defaultProvider::fromEnv');
        throw sdkError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' });
      };
    });
    expect(finding).toEqual({
      name: 'aws-credentials',
      ok: false,
      detail: `cannot get AWS credentials from ${ENV_SOURCE} to call ecr:GetAuthorizationToken (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)`,
      hint: 'Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings.',
    });
  });

  it('fails at its bound naming the source it waited for', async () => {
    const { finding } = await awsCredentials((world) => {
      world.env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = 'http://127.0.0.1:9/creds';
      world.credentials = (options) => {
        options.observe('@aws-sdk/credential-provider-node - remoteProvider::fromHttp');
        return hang();
      };
    });
    expect(finding).toEqual({
      name: 'aws-credentials',
      ok: false,
      detail:
        'timed out after 0.2 s while waiting for AWS credentials from container credentials endpoint http://127.0.0.1:9 (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
      hint: 'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).',
    });
  });

  it('asks for ECR Public in us-east-1', async () => {
    let region: string | undefined;
    await awsCredentials((world) => {
      world.credentials = async (options) => {
        region = options.region;
        return KEYS;
      };
    }, 'public.ecr.aws/org/app:1');
    expect(region).toBe('us-east-1');
  });
});
