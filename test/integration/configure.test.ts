import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { runHelper } from '../support/run-helper';
import { ECR_HOST as PRIVATE } from '../support/registry-host';

scrubProcessEnv();

describe('configure (the built helper, a real docker config folder)', () => {
  let home: string;
  let dockerDir: string;
  let file: string;
  beforeEach(() => {
    home = tempDir('ecr-ts-configure-');
    dockerDir = join(home, 'docker-config');
    file = join(dockerDir, 'config.json');
  });

  const configure = (args: string[], env: Record<string, string> = { DOCKER_CONFIG: dockerDir }) =>
    runHelper({ args: ['configure', ...args], env: cleanEnv(home, env), input: '' });
  const backups = (): string[] => readdirSync(dockerDir).filter((name) => name.endsWith('.bak'));

  it('creates DOCKER_CONFIG/config.json (0600) with credHelpers for the registries', async () => {
    const result = await configure([PRIVATE, 'https://public.ecr.aws/amazonlinux']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`wrote ${file}`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      credHelpers: { [PRIVATE]: 'ecr-ts', 'public.ecr.aws': 'ecr-ts' },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(backups()).toEqual([]);
  });

  it('uses ~/.docker when DOCKER_CONFIG is unset', async () => {
    const result = await configure(['--store'], {});
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(join(home, '.docker', 'config.json'), 'utf8'));
    expect(written).toEqual({ credsStore: 'ecr-ts' });
  });

  it('keeps other keys, backs up the previous file, and rewrites nothing on a second run', async () => {
    mkdirSync(dockerDir);
    const original = '{\n\t"auths": {\n\t\t"ghcr.io": {}\n\t},\n\t"psFormat": "table"\n}';
    writeFileSync(file, original);
    const first = await configure([PRIVATE, '--store']);
    expect(first.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      auths: { 'ghcr.io': {} },
      psFormat: 'table',
      credsStore: 'ecr-ts',
      credHelpers: { [PRIVATE]: 'ecr-ts' },
    });
    const [backup] = backups();
    expect(backups()).toHaveLength(1);
    expect(readFileSync(join(dockerDir, backup ?? ''), 'utf8')).toBe(original);

    const before = statSync(file);
    const second = await configure([PRIVATE, '--store']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already up to date, not rewritten');
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(backups()).toHaveLength(1);
  });

  it('refuses invalid JSON on stderr, exit 1, and leaves the file untouched', async () => {
    mkdirSync(dockerDir);
    writeFileSync(file, '{"auths": {');
    const result = await configure([PRIVATE]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file} is not valid JSON`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe('{"auths": {');
    expect(backups()).toEqual([]);
  });

  it('rejects a registry that is not ECR and writes nothing', async () => {
    const result = await configure([PRIVATE, 'registry-1.docker.io']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"registry-1.docker.io" is not an Amazon ECR registry');
    expect(() => statSync(file)).toThrow();
  });

  it('--dry-run prints the change and writes nothing', async () => {
    mkdirSync(dockerDir);
    writeFileSync(file, '{}');
    const result = await configure([PRIVATE, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`would set credHelpers["${PRIVATE}"] = "ecr-ts"`);
    expect(result.stdout).toContain('not written');
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(backups()).toEqual([]);
  });

  it('concurrent runs all land: every registry present, valid JSON', async () => {
    mkdirSync(dockerDir);
    writeFileSync(file, '{"auths": {}}');
    const registries = Array.from(
      { length: 6 },
      (_, n) => `12345678901${n}.dkr.ecr.eu-west-${(n % 3) + 1}.amazonaws.com`,
    );
    const results = await Promise.all(registries.map((registry) => configure([registry])));
    for (const result of results) expect([result.code, result.stderr]).toEqual([0, '']);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { credHelpers: object };
    expect(written).toEqual({
      auths: {},
      credHelpers: Object.fromEntries(registries.map((registry) => [registry, 'ecr-ts'])),
    });
    // The lock is gone and no temp file is left behind.
    expect(readdirSync(dockerDir).filter((name) => !name.endsWith('.bak'))).toEqual([
      'config.json',
    ]);
  });
});
