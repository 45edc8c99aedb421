import { checkDockerConfig } from '../../../../src/commands/doctor/check-docker-config';
import { doctorIn, healthyWorld, IMAGE } from '../../../support/fake-doctor';
import { ECR_HOST as HOST } from '../../../support/registry-host';

const FILE = '/home/u/.docker/config.json';

const check = (config: unknown, host: string | null = HOST) =>
  checkDockerConfig({
    file: FILE,
    fromEnv: false,
    text: typeof config === 'string' || config === null ? config : JSON.stringify(config),
    ...(host ? { host } : {}),
  });

describe('checkDockerConfig()', () => {
  it('passes when credHelpers names ecr-ts for the host, and says so', () => {
    const result = check({ credHelpers: { [HOST]: 'ecr-ts' }, credsStore: 'desktop' });
    expect(result).toEqual({
      finding: {
        ok: true,
        detail: `${FILE}: credHelpers["${HOST}"] runs docker-credential-ecr-ts`,
      },
      value: { helper: 'ecr-ts' },
    });
  });

  it('passes through credsStore when no credHelpers entry names the host', () => {
    expect(check({ credsStore: 'ecr-ts' }).finding).toMatchObject({
      ok: true,
      detail: expect.stringContaining('credsStore runs'),
    });
  });

  it('a file that cannot be read: permissions when that is why, else what the file must be', () => {
    const unreadable = (readError: string) =>
      checkDockerConfig({ file: FILE, fromEnv: false, text: null, readError, host: HOST }).finding;
    expect(unreadable('EACCES')).toEqual({
      ok: false,
      detail: `cannot read ${FILE} (EACCES)`,
      hint: 'Check its permissions.',
    });
    expect(unreadable('not a regular file')).toMatchObject({
      ok: false,
      detail: `cannot read ${FILE} (not a regular file)`,
      hint: expect.stringContaining('make it a readable JSON file'),
    });
  });

  it('fails when docker is wired to another helper, and returns its name', () => {
    const result = check({ credHelpers: { [HOST]: 'ecr-login' } });
    expect(result.value).toEqual({ helper: 'ecr-login' });
    expect(result.finding).toMatchObject({
      ok: false,
      hint: `Run: docker-credential-ecr-ts configure ${HOST}`,
    });
  });

  it('fails for a saved login under auths, a missing entry, a missing file', () => {
    expect(
      check({ auths: { [`https://${HOST}`]: { auth: 'QVdTOnB3' } } }).finding.detail,
    ).toContain('login saved under auths');
    expect(check({ credHelpers: { [`https://${HOST}`]: 'ecr-ts' } }).finding.detail).toContain(
      'docker matches the bare host only',
    );
    expect(check(null).finding).toMatchObject({
      ok: false,
      detail: `${FILE} does not exist: docker runs no credential helper`,
    });
  });

  it('reports broken JSON by line and column, never quoting the file (it may hold a login)', () => {
    const text = '{\n  "auths": {"x": {"auth": "c2VjcmV0LXBhc3N3b3Jk"}, }\n}';
    const { finding } = check(text);
    expect(finding.ok).toBe(false);
    expect(finding.detail).toMatch(
      /not a valid docker config \(not valid JSON( at line 2, column \d+)?\)/,
    );
    expect(finding.detail).not.toContain('c2VjcmV0');
  });

  it.each(['../../../../tmp/pwn.sh', 'a/b', '-x', '.hidden', 'x y', 'ecr-ts\n'])(
    'fails a helper name %j that routes would refuse, naming no helper to run',
    (name) => {
      for (const config of [{ credsStore: name }, { credHelpers: { [HOST]: name } }]) {
        const result = check(config);
        expect(result.value).toEqual({ invalidHelper: true });
        expect(result.finding).toMatchObject({
          ok: false,
          detail: expect.stringContaining(
            `names ${JSON.stringify(name)}, which is not a credential helper name`,
          ),
          hint: expect.stringContaining('docker-credential-'),
        });
      }
      // Without a host too: the file names a helper docker cannot run as one.
      for (const config of [
        { credsStore: name },
        { credHelpers: { [HOST]: 'ecr-ts', 'gcr.io': name } },
      ]) {
        expect(check(config, null).finding).toMatchObject({
          ok: false,
          detail: expect.stringContaining(`names ${JSON.stringify(name)}`),
        });
      }
    },
  );

  it('without a host, lists the registries the file sends to this helper', () => {
    expect(check({ credHelpers: { [HOST]: 'ecr-ts', 'gcr.io': 'gcloud' } }, null).finding).toEqual({
      ok: true,
      detail: `${FILE}: credHelpers runs docker-credential-ecr-ts for ${HOST}`,
    });
    expect(check({}, null).finding.ok).toBe(false);
  });
});

describe('docker-config in a doctor run', () => {
  it.each([
    [
      { code: 'EACCES' },
      'cannot read /d/config.json (from DOCKER_CONFIG) (EACCES)',
      'Check its permissions.',
    ],
    [
      { code: 'EISDIR' },
      'cannot read /d/config.json (from DOCKER_CONFIG) (EISDIR)',
      'docker reads its logins and helpers from this file: make it a readable JSON file.',
    ],
    [
      null,
      '/d/config.json (from DOCKER_CONFIG) does not exist: docker runs no credential helper',
      `Run: docker-credential-ecr-ts configure ${HOST}`,
    ],
    [
      '[]',
      '/d/config.json (from DOCKER_CONFIG) is not a valid docker config (not a JSON object)',
      'Fix the file.',
    ],
  ])('reads the file through the effects: %j fails with its hint', async (config, detail, hint) => {
    const world = healthyWorld();
    world.dockerConfig = config;
    const { by } = await doctorIn(world, IMAGE);
    expect(by['docker-config']).toEqual({ name: 'docker-config', ok: false, detail, hint });
    // The helper docker would run stays the default: the next check still looks for ecr-ts.
    expect(by['helper-on-path'].ok).toBe(true);
  });

  it('runs nothing for an invalid helper name: helper-on-path is skipped, PATH is not searched', async () => {
    const world = healthyWorld();
    // `docker-credential-../../x` joined to a PATH folder leaves it.
    world.dockerConfig = JSON.stringify({ credsStore: '../../../../tmp/pwn.sh' });
    const searched: string[] = [];
    world.path = new Proxy(world.path, {
      get: (target, name) => {
        searched.push(String(name));
        return Reflect.get(target, name);
      },
    });
    world.path['docker-credential-../../../../tmp/pwn.sh'] = '/tmp/pwn.sh';
    let ran = 0;
    const version = world.version;
    world.version = (path, bound) => {
      ran += 1;
      return version(path, bound);
    };
    const { by } = await doctorIn(world, IMAGE);
    expect(by['docker-config']).toMatchObject({ ok: false });
    expect(by['helper-on-path']).toEqual({
      name: 'helper-on-path',
      ok: null,
      detail: 'the docker config names no valid helper (see docker-config)',
    });
    expect(ran).toBe(0);
    expect(searched.filter((name) => name.startsWith('docker-credential-'))).toEqual([]);
  });

  it('hands the helper docker runs to helper-on-path', async () => {
    const world = healthyWorld();
    world.dockerConfig = JSON.stringify({ credsStore: 'desktop' });
    const { by } = await doctorIn(world, IMAGE);
    expect(by['docker-config']).toMatchObject({
      ok: false,
      hint: `Run: docker-credential-ecr-ts configure ${HOST}`,
    });
    expect(by['helper-on-path'].detail).toBe('docker-credential-desktop is not on PATH');
  });
});
