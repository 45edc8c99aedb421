import {
  answer,
  doctorIn,
  ECR_HOST,
  healthyWorld,
  IMAGE,
  PASSWORD,
  sdkError,
  type DoctorWorld,
} from '../../../support/fake-doctor';

const V2 = `https://${ECR_HOST}/v2/`;

async function registry(change: (world: DoctorWorld) => void, subject = IMAGE) {
  const world = healthyWorld();
  change(world);
  const { by, trace } = await doctorIn(world, subject);
  return { finding: by['registry'], by, trace };
}

describe('registry', () => {
  it('passes when /v2/ answers 200 to the token, sent as Basic auth', async () => {
    let authorization: string | undefined;
    const { finding } = await registry((world) => {
      world.registry = async (url, headers) => {
        if (url === V2) authorization = headers['authorization'];
        return answer(200);
      };
    });
    expect(finding).toEqual({
      name: 'registry',
      ok: true,
      detail: `GET ${V2} with the token: HTTP 200 (basic auth)`,
    });
    expect(authorization).toBe(`Basic ${Buffer.from(`AWS:${PASSWORD}`).toString('base64')}`);
  });

  it('follows a Bearer challenge to an https token service', async () => {
    const { finding, trace } = await registry((world) => {
      world.registry = async (url, headers) => {
        if (url.startsWith('https://auth.example.com/'))
          return answer(200, { token: 'bearer-TOKEN' });
        if (headers['authorization'] === 'Bearer bearer-TOKEN') return answer(200);
        return answer(401, '', {
          'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"',
        });
      };
    });
    expect(finding.detail).toBe(`GET ${V2} with the token: HTTP 200 (bearer auth)`);
    expect(trace.urls).toContain('https://auth.example.com/token?service=reg');
  });

  it('fails a refused token, saying what makes a token not work there', async () => {
    const { finding } = await registry((world) => {
      world.registry = async () =>
        answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad token' }] });
    });
    expect(finding).toEqual({
      name: 'registry',
      ok: false,
      detail: `GET ${V2} refused the token: HTTP 401 (UNAUTHORIZED: bad token)`,
      hint: "A token works only in its own region and partition: check that the host's region is the one the token came from, that AWS_ENDPOINT_URL_ECR does not point at another service, and that no proxy drops the Authorization header.",
    });
  });

  it('fails any other answer with its status and errors', async () => {
    const { finding } = await registry((world) => (world.registry = async () => answer(503)));
    expect(finding).toEqual({
      name: 'registry',
      ok: false,
      detail: `GET ${V2} with the token: HTTP 503`,
    });
  });

  it.each([
    [
      sdkError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }),
      `cannot reach ${V2} (ECONNREFUSED)`,
      'Check the network, DNS and proxy (HTTPS_PROXY/NO_PROXY) of the machine that runs docker.',
    ],
    [
      sdkError({
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
        message: 'self-signed certificate in certificate chain',
      }),
      `cannot verify the TLS certificate of ${V2} (SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain)`,
      'Behind a TLS-inspecting proxy, trust its CA with AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS.',
    ],
  ])('fails a registry it cannot reach (%s) with what to check', async (error, detail, hint) => {
    const { finding } = await registry((world) => {
      world.registry = async () => {
        throw error;
      };
    });
    expect(finding).toEqual({ name: 'registry', ok: false, detail, hint });
  });

  it('is skipped without a registry, or without a token', async () => {
    const none = (await doctorIn(healthyWorld())).by['registry'];
    expect(none).toEqual({ name: 'registry', ok: null, detail: 'no registry named' });
    const { finding } = await registry((world) => (world.token = async () => undefined));
    expect(finding).toEqual({
      name: 'registry',
      ok: null,
      detail: 'needs a token (see authorization-token)',
    });
  });
});
