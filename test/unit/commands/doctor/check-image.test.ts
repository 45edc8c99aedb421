import {
  answer,
  CALLER,
  doctorIn,
  ECR_HOST,
  healthyWorld,
  IMAGE,
  sdkError,
  type DoctorWorld,
} from '../../../support/fake-doctor';

const MANIFEST = `https://${ECR_HOST}/v2/app/manifests/1`;

/** The image finding when the manifest request answers `manifest`. */
async function image(manifest: DoctorWorld['registry'], subject = IMAGE) {
  const world = healthyWorld();
  world.registry = (url, headers) =>
    url.endsWith('/v2/') ? Promise.resolve(answer(200)) : manifest(url, headers);
  return (await doctorIn(world, subject)).by['image'];
}

const error = (code: string, message = 'x') => ({ errors: [{ code, message }] });

describe('image', () => {
  it('passes with the digest and type of the manifest, asking for every type docker takes', async () => {
    let accept: string | undefined;
    const finding = await image(async (_url, headers) => {
      accept = headers['accept'];
      return answer(200, '{}', {
        'docker-content-digest': 'sha256:abc',
        'content-type': 'application/vnd.oci.image.index.v1+json',
      });
    });
    expect(finding).toEqual({
      name: 'image',
      ok: true,
      detail: 'app:1: manifest sha256:abc (application/vnd.oci.image.index.v1+json)',
    });
    // Every manifest type docker accepts: OCI and Docker, single image and multi-platform.
    expect(accept?.split(', ').sort()).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
    ]);
  });

  it('reads a digest reference as the image', async () => {
    let asked: string | undefined;
    await image(
      async (url) => {
        asked = url;
        return answer(200);
      },
      `${ECR_HOST}/app@sha256:${'b'.repeat(64)}`,
    );
    expect(asked).toBe(`https://${ECR_HOST}/v2/app/manifests/sha256:${'b'.repeat(64)}`);
  });

  it('fails 403 naming the two pull permissions and who needs them', async () => {
    expect(await image(async () => answer(403, error('DENIED', 'not authorized')))).toEqual({
      name: 'image',
      ok: false,
      detail: 'app:1: reading the manifest was denied: HTTP 403 (DENIED: not authorized)',
      hint: `Grant ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on repository app to ${CALLER} (its IAM policy, or the repository policy for another account). This is the second place ECR checks permissions: the token works, the pull does not.`,
    });
  });

  it('tells a missing repository from a missing tag, as ECR reports them', async () => {
    expect(await image(async () => answer(404, error('NAME_UNKNOWN')))).toEqual({
      name: 'image',
      ok: false,
      detail: `app:1: repository app does not exist in ${ECR_HOST}: HTTP 404 (NAME_UNKNOWN: x)`,
      hint: 'Check the repository name and the registry (account and region); create it with aws ecr create-repository.',
    });
    expect(await image(async () => answer(404, error('MANIFEST_UNKNOWN')))).toEqual({
      name: 'image',
      ok: false,
      detail: 'app:1: no image 1 in repository app: HTTP 404 (MANIFEST_UNKNOWN: x)',
      hint: 'ECR reports a missing repository as NAME_UNKNOWN, so the tag or digest is what is missing; list them with aws ecr list-images --repository-name app --region eu-west-1.',
    });
  });

  it('fails a refused token by pointing at the registry check, and any other answer as it came', async () => {
    expect(await image(async () => answer(401))).toEqual({
      name: 'image',
      ok: false,
      detail: 'app:1: the registry refused the token: HTTP 401',
      hint: 'See the registry check.',
    });
    expect(await image(async () => answer(500, error('INTERNAL')))).toEqual({
      name: 'image',
      ok: false,
      detail: 'app:1: HTTP 500 (INTERNAL: x)',
    });
  });

  it('fails a manifest it cannot reach with what to check', async () => {
    const finding = await image(async () => {
      throw sdkError({ code: 'ECONNRESET', message: 'socket hang up' });
    });
    expect(finding).toEqual({
      name: 'image',
      ok: false,
      detail: `cannot reach ${MANIFEST} (ECONNRESET)`,
      hint: 'Check the network, DNS and proxy (HTTPS_PROXY/NO_PROXY) of the machine that runs docker.',
    });
  });

  it('is skipped without an image, or without a token', async () => {
    const registryOnly = (await doctorIn(healthyWorld(), ECR_HOST)).by['image'];
    expect(registryOnly).toEqual({
      name: 'image',
      ok: null,
      detail: 'no image named (give host/repository:tag)',
    });
    const world = healthyWorld();
    world.token = async () => undefined;
    expect((await doctorIn(world, IMAGE)).by['image']).toEqual({
      name: 'image',
      ok: null,
      detail: 'needs a token (see authorization-token)',
    });
  });
});
