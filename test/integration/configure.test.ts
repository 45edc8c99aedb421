import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

  it('reports invalid JSON by line and column, quoting nothing of the file', async () => {
    mkdirSync(dockerDir);
    const auth = Buffer.from('ciuser:GlpatSuperSecretRegistryPassword123').toString('base64');
    const text = `{"auths":{"r.example.com":{"auth":${auth}}}}`;
    writeFileSync(file, text);
    const result = await configure([PRIVATE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `docker-credential-ecr-ts: error: ${file} is not valid JSON (line 1, column 35); fix it by hand, configure left it untouched\n`,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('keeps numbers JSON.parse cannot hold exactly as written', async () => {
    mkdirSync(dockerDir);
    writeFileSync(file, '{\n\t"big": 12345678901234567890,\n\t"price": 1.50,\n\t"e": 1e3\n}\n');
    const result = await configure([PRIVATE]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(readFileSync(file, 'utf8')).toBe(
      `{\n\t"big": 12345678901234567890,\n\t"price": 1.50,\n\t"e": 1e3,\n\t"credHelpers": {\n\t\t"${PRIVATE}": "ecr-ts"\n\t}\n}\n`,
    );
  });

  it('keeps the writes of a tool that rewrites the file meanwhile (docker login-style)', async () => {
    mkdirSync(dockerDir);
    writeFileSync(file, '{"auths": {}}');
    // Read, add an auths entry, write a temp file, rename: 40 times, 10 ms apart.
    const writer = join(home, 'writer.js');
    writeFileSync(
      writer,
      `const fs = require('fs');
const file = process.argv[2];
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (let i = 0; i < 40; i += 1) {
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  (config.auths ??= {})['reg' + i + '.example.com'] = { auth: 'eDp5' };
  const temp = file + '.writer-' + i;
  fs.writeFileSync(temp, JSON.stringify(config, null, '\\t'));
  fs.renameSync(temp, file);
  sleep(10);
}
`,
    );
    const registries = Array.from(
      { length: 10 },
      (_, n) => `1234567890${10 + n}.dkr.ecr.us-east-1.amazonaws.com`,
    );
    const external = runHelper({
      args: [writer, file],
      env: cleanEnv(home),
      bin: process.execPath,
    });
    for (const registry of registries) {
      const result = await configure([registry]);
      expect([result.code, result.stderr]).toEqual([0, '']);
    }
    expect((await external).code).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8')) as {
      auths: object;
      credHelpers: object;
    };
    // Docker does not lock its config, so no writer can close the window: configure narrows it to
    // a stat and a rename (docs/configure.md). Before that, this writer lost 4 or 5 of its 40
    // entries; now it keeps them all, or on a loaded machine rarely all but one.
    expect(Object.keys(written.auths).length).toBeGreaterThanOrEqual(39);
    expect(Object.keys(written.credHelpers).sort()).toEqual(registries);
  });

  it('refuses a read-only config.json and leaves it as it was', async () => {
    mkdirSync(dockerDir);
    writeFileSync(file, '{"auths": {}}');
    chmodSync(file, 0o444);
    const result = await configure([PRIVATE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file} is read-only (mode 0444)`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe('{"auths": {}}');
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(backups()).toEqual([]);
  });

  it('leaves no backup behind when the new file cannot be written', async () => {
    // The temp file's name, next to a 250-character target, is too long for the file system:
    // reading, locking and backing up work, writing fails.
    mkdirSync(dockerDir);
    const target = join(home, 'c'.repeat(250));
    writeFileSync(target, '{"auths": {}}');
    symlinkSync(target, file);
    const result = await configure([PRIVATE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot write .* \(ENAMETOOLONG\)/);
    expect(readFileSync(target, 'utf8')).toBe('{"auths": {}}');
    expect(readdirSync(dockerDir)).toEqual(['config.json']);
  });

  it('fails at once, naming the folder, when DOCKER_CONFIG cannot exist (under /proc)', async () => {
    const result = await configure([PRIVATE], {
      DOCKER_CONFIG: '/proc/self/x/y',
      ECR_TS_TIMEOUT: '3',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'docker-credential-ecr-ts: error: cannot create the folder of /proc/self/x/y/config.json (ENOENT)\n',
    );
  });

  it('says it waited for the lock, not for an endpoint, when the bound ends there', async () => {
    mkdirSync(dockerDir);
    writeFileSync(file, '{}');
    mkdirSync(`${file}.lock`); // held by a live configure run (fresh, so not stale)
    const result = await configure([PRIVATE], { DOCKER_CONFIG: dockerDir, ECR_TS_TIMEOUT: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`timed out after 1 s while waiting for the lock ${file}.lock`);
    expect(result.stderr).not.toContain('endpoint');
    expect(result.stderr).not.toContain('starting');
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });
});
