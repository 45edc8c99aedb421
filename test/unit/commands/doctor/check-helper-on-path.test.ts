import type { Bound } from '../../../../src/deadline';
import { PRODUCT, VERSION } from '../../../../src/product';
import { doctorIn, ECR_HOST, healthyWorld, HELPER_PATH, IMAGE } from '../../../support/fake-doctor';

const INSTALL_HINT =
  'Install it into a folder on the PATH of the process that runs docker (./install.sh does), or add its folder to PATH; in a container, check the image.';

async function helperOnPath(change: (world: ReturnType<typeof healthyWorld>) => void) {
  const world = healthyWorld();
  change(world);
  return (await doctorIn(world, IMAGE)).by['helper-on-path'];
}

describe('helper-on-path', () => {
  it('passes with the path and the version line it answers', async () => {
    expect(await helperOnPath(() => undefined)).toEqual({
      name: 'helper-on-path',
      ok: true,
      detail: `${HELPER_PATH}: ${PRODUCT} (npm:${PRODUCT}) ${VERSION}`,
    });
  });

  it('shows where a symbolic link leads, and another version of this helper', async () => {
    const finding = await helperOnPath((world) => {
      world.realPaths[HELPER_PATH] = '/opt/ecr-ts/bin/docker-credential-ecr-ts';
      world.version = async () => ({ code: 0, stdout: `${PRODUCT} (npm:${PRODUCT}) 0.0.1\n` });
    });
    expect(finding).toMatchObject({
      ok: true,
      detail: `${HELPER_PATH} -> /opt/ecr-ts/bin/docker-credential-ecr-ts: ${PRODUCT} (npm:${PRODUCT}) 0.0.1 (this doctor is ${VERSION})`,
    });
  });

  it('fails when it is not on PATH, saying how to install it', async () => {
    expect(await helperOnPath((world) => (world.path = {}))).toEqual({
      name: 'helper-on-path',
      ok: false,
      detail: 'docker-credential-ecr-ts is not on PATH',
      hint: INSTALL_HINT,
    });
  });

  it('fails when it cannot be run, with the reason', async () => {
    const finding = await helperOnPath((world) => {
      world.version = async () => {
        throw new Error('EACCES');
      };
    });
    expect(finding).toEqual({
      name: 'helper-on-path',
      ok: false,
      detail: `${HELPER_PATH} could not be run (EACCES)`,
      hint: INSTALL_HINT,
    });
  });

  it('fails when another program has the name, quoting one clean line of what it said', async () => {
    const finding = await helperOnPath((world) => {
      world.version = async () => ({
        code: 2,
        stdout: 'usage: \u001b[1mother\u001b[0m tool\nmore',
      });
    });
    expect(finding).toEqual({
      name: 'helper-on-path',
      ok: false,
      detail: `${HELPER_PATH} does not answer as ${PRODUCT} (version exit 2: "usage: [1mother[0m tool")`,
      hint: `Another program has this name: reinstall ${PRODUCT} there.`,
    });
  });

  it('looks for the helper the docker config names, and says when it is another one', async () => {
    const finding = await helperOnPath((world) => {
      world.dockerConfig = JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-login' } });
      world.path['docker-credential-ecr-login'] = '/usr/bin/docker-credential-ecr-login';
      world.version = async () => ({ code: 0, stdout: 'amazon-ecr-credential-helper 0.9.0\n' });
    });
    expect(finding).toEqual({
      name: 'helper-on-path',
      ok: false,
      detail: `/usr/bin/docker-credential-ecr-login is another credential helper, not ${PRODUCT} (version exit 0: "amazon-ecr-credential-helper 0.9.0")`,
      hint: 'Point the docker config at ecr-ts (see docker-config), or keep the other helper on purpose.',
    });
  });

  it('runs `version` bounded by its own step (the timeout from when the step began)', async () => {
    const world = healthyWorld();
    let bound: Bound | undefined;
    world.version = async (_path, given) => {
      bound = given;
      return { code: 0, stdout: `${PRODUCT} (npm:${PRODUCT}) ${VERSION}\n` };
    };
    const before = Date.now();
    await doctorIn(world, IMAGE, { stepTimeoutMs: 5000 });
    expect(bound?.signal.aborted).toBe(false);
    expect(bound?.deadline).toBeGreaterThanOrEqual(before + 5000);
    expect(bound?.deadline).toBeLessThanOrEqual(Date.now() + 5000);
  });
});
