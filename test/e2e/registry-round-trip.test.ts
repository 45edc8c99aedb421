/**
 * A real registry round trip: skopeo pushes to and pulls from a real `docker-registry` under an ECR
 * host name, authenticating only with what the helper (named in credHelpers) answers. Everything
 * runs inside a network namespace the test creates, where the ECR host name resolves to loopback
 * and no other network exists.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { haveTool } from './find-tool';
import { writeOciImage, type OciImage } from './oci-image';
import { HELPER_BIN } from '../support/run-helper';
import { readHelperCalls } from './recording-helper';
import { canStartRegistryWorld, startRegistryWorld, type RegistryWorld } from './registry-world';
import { runInNetns } from './run-in-netns';
import { ECR_HOST } from '../support/registry-host';

scrubProcessEnv();

const IMAGE = `${ECR_HOST}/round-trip/app`;
// Real ECR passwords are far longer, but bcrypt (htpasswd) only compares the first 72 bytes; a
// shorter one keeps the wrong-password check meaningful.
const PASSWORD = `ecr-${randomBytes(30).toString('base64url')}`;

function canRun(): boolean {
  return (
    canStartRegistryWorld('the registry round trip') && haveTool('skopeo', ['skopeo', '--version'])
  );
}

const describeRoundTrip = canRun() ? describe : describe.skip;

describeRoundTrip('skopeo and a real registry under an ECR host name, through the helper', () => {
  let world: RegistryWorld;
  let dir: string;
  let fakes: FakesProcess;
  let image: OciImage;
  let env: Record<string, string>;
  const certDir = () => world.certDir;
  const policy = () => world.policy;
  const recordDir = () => world.recordDir;

  /** Runs skopeo inside the namespace with the helper's environment (and nothing else). */
  const skopeo = (args: readonly string[], extraEnv: Record<string, string> = {}) =>
    runInNetns(world.netns, { ...env, ...extraEnv }, 'skopeo', args);

  beforeAll(async () => {
    world = await startRegistryWorld({
      prefix: 'ecr-ts-registry-',
      host: ECR_HOST,
      username: 'AWS',
      password: PASSWORD,
    });
    dir = world.dir;
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'ecr', name: 'ecr', password: PASSWORD },
          { kind: 'credentials', name: 'credentials' },
          { kind: 'sts', name: 'sts' },
        ],
      },
      { netns: world.netns },
    );
    const authFile = join(world.home, 'auth.json');
    writeFileSync(authFile, JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-ts' } }));
    env = {
      ...world.env,
      REGISTRY_AUTH_FILE: authFile,
      AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fakes.url('credentials')}/v1/credentials`,
    };
    image = writeOciImage(join(dir, 'source'), '1', `hello from ${PASSWORD.length} bytes\n`);
  });

  afterAll(async () => {
    await fakes?.close();
  });

  it('skopeo copy pushes the image with the token the helper fetched', async () => {
    const result = await skopeo([
      '--policy',
      policy(),
      'copy',
      '--dest-cert-dir',
      certDir(),
      `oci:${join(dir, 'source')}:1`,
      `docker://${IMAGE}:1`,
    ]);
    expect(result.stderr).not.toMatch(/unauthorized|authentication required/i);
    expect(result.code).toBe(0);
    const calls = readHelperCalls(recordDir());
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call).toMatchObject({ args: 'get', code: 0, stderr: '' });
      expect(JSON.parse(call.stdout)).toEqual({
        ServerURL: ECR_HOST,
        Username: 'AWS',
        Secret: PASSWORD,
      });
    }
    const snapshot = await fakes.snapshot();
    const ecr = snapshot.servers['ecr'];
    expect(ecr?.tokenCalls).toBeGreaterThan(0);
    expect(ecr?.requests.every((request) => request.verification?.ok === true)).toBe(true);
    // The secret reached the registry only as a password: never in skopeo's output.
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  /** The helper runs recorded since `before`, each of which must have answered the token. */
  const answeredSince = (before: number): number => {
    const calls = readHelperCalls(recordDir()).slice(before);
    for (const call of calls) expect(call).toMatchObject({ args: 'get', code: 0, stderr: '' });
    return calls.length;
  };

  it('skopeo inspect reads the pushed manifest back through the helper', async () => {
    const before = readHelperCalls(recordDir()).length;
    const result = await skopeo(['inspect', '--cert-dir', certDir(), `docker://${IMAGE}:1`]);
    expect(answeredSince(before)).toBeGreaterThan(0);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const inspected = JSON.parse(result.stdout) as { Digest: string; Layers: string[] };
    expect(inspected.Digest).toBe(image.manifestDigest);
    expect(inspected.Layers).toEqual([image.layerDigest]);
  });

  it('skopeo copy pulls the same bytes back', async () => {
    const target = join(dir, 'pulled');
    const before = readHelperCalls(recordDir()).length;
    const result = await skopeo([
      '--policy',
      policy(),
      'copy',
      '--src-cert-dir',
      certDir(),
      `docker://${IMAGE}:1`,
      `oci:${target}:1`,
    ]);
    expect(result.code).toBe(0);
    expect(answeredSince(before)).toBeGreaterThan(0);
    const layer = readFileSync(join(target, 'blobs', 'sha256', image.layerDigest.slice(7)));
    expect(layer.equals(image.layer)).toBe(true);
  });

  it('skopeo also finds credHelpers in $DOCKER_CONFIG/config.json', async () => {
    const dockerConfig = join(dir, 'docker-config');
    mkdirSync(dockerConfig, { recursive: true });
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-ts' } }),
    );
    const before = readHelperCalls(recordDir()).length;
    // No REGISTRY_AUTH_FILE at all: skopeo falls back to $DOCKER_CONFIG/config.json.
    const withoutAuthFile = Object.fromEntries(
      Object.entries({ ...env, DOCKER_CONFIG: dockerConfig }).filter(
        ([name]) => name !== 'REGISTRY_AUTH_FILE',
      ),
    );
    const result = await runInNetns(world.netns, withoutAuthFile, 'skopeo', [
      'inspect',
      '--cert-dir',
      certDir(),
      `docker://${IMAGE}:1`,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(answeredSince(before)).toBeGreaterThan(0);
  });

  it('the registry refuses a wrong password and anonymous access (the check is real)', async () => {
    const wrongAuth = join(dir, 'wrong-auth.json');
    const wrong = Buffer.from(`AWS:${PASSWORD.slice(0, -4)}nope`).toString('base64');
    writeFileSync(wrongAuth, JSON.stringify({ auths: { [ECR_HOST]: { auth: wrong } } }));
    const withWrong = await skopeo(['inspect', '--cert-dir', certDir(), `docker://${IMAGE}:1`], {
      REGISTRY_AUTH_FILE: wrongAuth,
    });
    expect(withWrong.code).not.toBe(0);
    expect(withWrong.stderr).toMatch(/unauthorized|authentication required/i);

    const noAuth = join(dir, 'no-auth.json');
    writeFileSync(noAuth, '{}');
    const anonymous = await skopeo(['inspect', '--cert-dir', certDir(), `docker://${IMAGE}:1`], {
      REGISTRY_AUTH_FILE: noAuth,
    });
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/unauthorized|authentication required/i);
  });

  it("doctor walks the chain to the pushed image, and reports a missing tag with the registry's code", async () => {
    const dockerConfig = join(dir, 'doctor-docker-config');
    mkdirSync(dockerConfig, { recursive: true });
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-ts' } }),
    );
    const doctorEnv = {
      ...env,
      DOCKER_CONFIG: dockerConfig,
      AWS_ENDPOINT_URL_STS: fakes.url('sts'),
      // doctor is a Node client of the registry: it trusts the test CA as Node does.
      NODE_EXTRA_CA_CERTS: world.ca.certPath,
    };
    const run = async (target: string) => {
      const result = await runInNetns(world.netns, doctorEnv, HELPER_BIN, [
        'doctor',
        target,
        '--json',
      ]);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
      const report = JSON.parse(result.stdout) as {
        ok: boolean;
        checks: { name: string; ok: boolean | null; detail: string }[];
      };
      return { code: result.code, report, image: report.checks.find((c) => c.name === 'image') };
    };

    const healthy = await run(`${IMAGE}:1`);
    expect(healthy.report.checks.filter((check) => check.ok !== true)).toEqual([]);
    expect(healthy.code).toBe(0);
    expect(healthy.image?.detail).toContain(`manifest ${image.manifestDigest}`);

    const noTag = await run(`${IMAGE}:2`);
    expect(noTag.code).toBe(1);
    expect(noTag.image?.detail).toMatch(
      /no image 2 in repository round-trip\/app: HTTP 404 \(MANIFEST_UNKNOWN/,
    );

    // distribution 2.8 answers MANIFEST_UNKNOWN for a missing repository too (measured here; ECR
    // says NAME_UNKNOWN, which test/integration/doctor.test.ts covers): doctor quotes the code.
    const noRepository = await run(`${ECR_HOST}/round-trip/nothing:1`);
    expect(noRepository.code).toBe(1);
    expect(noRepository.image?.detail).toMatch(
      /in repository round-trip\/nothing: HTTP 404 \(MANIFEST_UNKNOWN/,
    );
  });
});
