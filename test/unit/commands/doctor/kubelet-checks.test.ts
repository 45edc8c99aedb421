import {
  BIN_DIR,
  ECR_HOST,
  healthyWorld,
  HELPER_PATH,
  kubeletDoctorIn,
  PASSWORD,
  PROVIDER_LINK,
} from '../../../support/fake-doctor';

const IMAGE = `${ECR_HOST}/app:1`;

describe('doctor --kubelet (KUBELET_CHECKS through runKubeletDoctor())', () => {
  it('walks the kubelet chain in order, each ok, and never shows the password', async () => {
    const { report, by } = await kubeletDoctorIn(healthyWorld(), IMAGE);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ['provider-config', true],
      ['provider-file', true],
      ['route', true],
      ['response', true],
    ]);
    expect(by['provider-file'].detail).toBe(`${PROVIDER_LINK} -> ${HELPER_PATH}`);
    expect(by['route'].detail).toBe(
      `${ECR_HOST}: private ECR of account 123456789012 in eu-west-1 (aws), token from ecr:GetAuthorizationToken; decided by the built-in defaults`,
    );
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
  });

  it("asks the provider in its entry's apiVersion, for the image as given", async () => {
    const world = healthyWorld();
    const config = JSON.parse(world.providerConfig as string);
    config.providers[0].apiVersion = 'credentialprovider.kubelet.k8s.io/v1alpha1';
    world.providerConfig = JSON.stringify(config);
    const asked: unknown[] = [];
    const provider = world.provider;
    world.provider = (request, bound) => {
      asked.push(JSON.parse(request));
      return provider(request, bound);
    };
    await kubeletDoctorIn(world, IMAGE);
    expect(asked).toEqual([
      {
        apiVersion: 'credentialprovider.kubelet.k8s.io/v1alpha1',
        kind: 'CredentialProviderRequest',
        image: IMAGE,
      },
    ]);
  });

  it('a registry with no route is an empty answer, not a failure as for docker', async () => {
    const world = healthyWorld();
    world.provider = async () =>
      JSON.stringify({ cacheKeyType: 'Registry', cacheDuration: '0s', auth: {} });
    const { by } = await kubeletDoctorIn(world, 'ghcr.io/org/app');
    expect(by['route']).toMatchObject({
      ok: true,
      detail:
        '"ghcr.io" has no route in the built-in defaults: the answer is empty (anonymous pull)',
    });
    // The kubelet would not even ask: the provider config says so.
    expect(by['provider-config'].ok).toBe(false);
  });

  it('a missing provider file fails; another program at its name too', async () => {
    const world = healthyWorld();
    world.missing = [PROVIDER_LINK];
    expect((await kubeletDoctorIn(world, IMAGE)).by['provider-file'].ok).toBe(false);
    const other = healthyWorld();
    other.realPaths[PROVIDER_LINK] = `${BIN_DIR}/ecr-credential-provider`;
    const { by, report } = await kubeletDoctorIn(other, IMAGE);
    expect(by['provider-file'].detail).toContain('which is not this program');
    expect(report.ok).toBe(false);
  });

  it("bounds the provider's answer by the check's own deadline, naming what it waited for", async () => {
    const world = healthyWorld();
    world.provider = (_request, bound) => {
      // What the token cache or the AWS call behind the provider would say it is doing.
      bound.progress.step =
        'calling GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com';
      return new Promise<never>(() => undefined);
    };
    const { by } = await kubeletDoctorIn(world, IMAGE, { stepTimeoutMs: 20 });
    expect(by['response']).toEqual({
      name: 'response',
      ok: false,
      detail:
        'timed out after 0.02 s while calling GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com',
      hint: 'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).',
    });
  });

  it('a provider that fails is the line the kubelet would log', async () => {
    const world = healthyWorld();
    world.provider = async () => {
      throw new Error('access denied calling ecr:GetAuthorizationToken');
    };
    const { by } = await kubeletDoctorIn(world, IMAGE);
    expect(by['response']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^the provider would exit 1 and the kubelet log: /),
    });
  });
});
