/**
 * `configure --store` keeps every earlier login working (docs/universal-mode.md): an earlier credsStore becomes
 * the fallback in the helper's config file, plaintext `auths` move into the fallback store and
 * leave config.json after a backup, --dry-run shows it all and writes nothing, and a failure
 * midway leaves config.json as it was.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { runHelper, type RunResult } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';
import { ECR_HOST as ECR } from '../support/registry-host';

scrubProcessEnv();
const tempDir = useTempDirs();
const SECRET = 'pa55-SENTINEL-migration';
const b64 = (text: string) => Buffer.from(text).toString('base64');

function world(dockerConfig: string) {
  const home = tempDir('ecr-ts-migrate-');
  const dockerDir = join(home, '.docker');
  mkdirSync(dockerDir);
  const dockerFile = join(dockerDir, 'config.json');
  writeFileSync(dockerFile, dockerConfig);
  const configFile = join(home, '.config', 'docker-credential-ecr-ts', 'config.json');
  const storeFile = join(home, '.local', 'share', 'docker-credential-ecr-ts', 'credentials.json');
  const env = cleanEnv(home, { DOCKER_CONFIG: dockerDir });
  const run = (args: string[], input?: string): Promise<RunResult> =>
    runHelper({ args, env, input: input ?? '', killAfterMs: 30_000 });
  return { home, dockerDir, dockerFile, configFile, storeFile, env, run };
}

// Tabs, as docker leaves them: every other key keeps its value and place.
const DOCKER_CONFIG = `{
\t"auths": {
\t\t"ghcr.io": {
\t\t\t"auth": "${b64(`octocat:${SECRET}`)}"
\t\t},
\t\t"https://index.docker.io/v1/": {
\t\t\t"auth": "${b64(`hubuser:${SECRET}-hub`)}"
\t\t},
\t\t"${ECR}": {
\t\t\t"auth": "${b64('AWS:stale-ecr-token')}"
\t\t},
\t\t"quay.io": {}
\t},
\t"psFormat": "table {{.ID}}",
\t"big": 12345678901234567890
}
`;

describe('configure --store', () => {
  it('--dry-run shows the moves and the fallback, and writes nothing', async () => {
    const w = world(DOCKER_CONFIG);
    const result = await w.run(['configure', '--store', '--dry-run']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('would set credsStore = "ecr-ts"');
    expect(result.stdout).toContain(
      'would move the login for "ghcr.io" (user "octocat") from auths into the file store',
    );
    expect(result.stdout).toContain(
      'would move the login for "https://index.docker.io/v1/" (user "hubuser")',
    );
    expect(result.stdout).toContain(`would drop the saved ECR token for "${ECR}"`);
    expect(result.stdout).not.toContain(SECRET);
    expect(readFileSync(w.dockerFile, 'utf8')).toBe(DOCKER_CONFIG);
    expect(readdirSync(w.dockerDir)).toEqual(['config.json']);
    expect(() => readFileSync(w.storeFile)).toThrow(/ENOENT/);
  });

  it('moves plaintext logins into the file store, then rewrites config.json without them, keeping the rest', async () => {
    const w = world(DOCKER_CONFIG);
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toContain(SECRET);
    const after = readFileSync(w.dockerFile, 'utf8');
    expect(after).not.toContain(b64(`octocat:${SECRET}`));
    expect(after).not.toContain(b64('AWS:stale-ecr-token'));
    const parsed = JSON.parse(after) as { auths: object; credsStore: string };
    expect(parsed.credsStore).toBe('ecr-ts');
    expect(parsed.auths).toEqual({ 'quay.io': {} });
    expect(after).toContain('\t"psFormat": "table {{.ID}}"');
    // The backup keeps the original byte for byte, but for the passwords that now live in the
    // fallback and the saved ECR token: no plaintext copy is left behind.
    const backups = readdirSync(w.dockerDir).filter((name) => name.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(w.dockerDir, backups[0] ?? ''), 'utf8')).toBe(
      '{\n\t"auths": {\n\t\t"quay.io": {}\n\t},\n\t"psFormat": "table {{.ID}}",\n\t"big": 12345678901234567890\n}\n',
    );
    // The logins answer through the helper now.
    const got = await w.run(['get'], 'ghcr.io');
    expect(JSON.parse(got.stdout)).toEqual({
      ServerURL: 'ghcr.io',
      Username: 'octocat',
      Secret: SECRET,
    });
    const hub = await w.run(['get'], 'https://index.docker.io/v1/');
    expect(JSON.parse(hub.stdout)).toMatchObject({ Username: 'hubuser', Secret: `${SECRET}-hub` });
    // No fallback to record (none before): the helper's config file is not created.
    expect(() => readFileSync(w.configFile)).toThrow(/ENOENT/);
    // A second run has nothing left to do.
    const again = await w.run(['configure', '--store']);
    expect(again.stdout).toContain('already up to date, not rewritten');
  });

  it('an earlier credsStore becomes the fallback, written with a minimal edit that keeps other keys', async () => {
    const w = world(
      `{"credsStore": "stub", "auths": {"ghcr.io": {"auth": "${b64(`octocat:${SECRET}`)}"}}}`,
    );
    // A helper named like the old store, keeping logins in a folder.
    const bin = join(w.home, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'docker-credential-stub'),
      `#!/bin/sh\nin=$(cat)\ncase "$1" in\n  store) printf '%s' "$in" > "${w.home}/stub.json" ;;\n  get) cat "${w.home}/stub.json" ;;\nesac\n`,
    );
    chmodSync(join(bin, 'docker-credential-stub'), 0o755);
    mkdirSync(join(w.home, '.config', 'docker-credential-ecr-ts'), { recursive: true });
    writeFileSync(
      w.configFile,
      '{\n  "registries": {\n    "quay.io": { "anonymous": true }\n  }\n}\n',
    );
    const env = { ...w.env, PATH: `${bin}:${w.env['PATH'] ?? ''}` };
    const result = await runHelper({ args: ['configure', '--store'], env, input: '' });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(`set fallback = "stub" in ${w.configFile}`);
    expect(result.stdout).toContain('set credsStore = "ecr-ts" (was "stub")');
    expect(JSON.parse(readFileSync(w.configFile, 'utf8'))).toEqual({
      registries: { 'quay.io': { anonymous: true } },
      fallback: 'stub',
    });
    expect(readFileSync(w.configFile, 'utf8')).toContain(
      '  "registries": {\n    "quay.io": { "anonymous": true }\n  }',
    );
    expect(JSON.parse(readFileSync(join(w.home, 'stub.json'), 'utf8'))).toEqual({
      ServerURL: 'ghcr.io',
      Username: 'octocat',
      Secret: SECRET,
    });
    expect(JSON.parse(readFileSync(w.dockerFile, 'utf8'))).toEqual({
      credsStore: 'ecr-ts',
      auths: {},
    });
  });

  it('a fallback that cannot keep the logins fails before config.json changes: nothing lost', async () => {
    const w = world(DOCKER_CONFIG);
    mkdirSync(join(w.home, '.config', 'docker-credential-ecr-ts'), { recursive: true });
    writeFileSync(w.configFile, '{"fallback": "broken"}');
    const bin = join(w.home, 'bin');
    mkdirSync(bin);
    // Accepts store, then cannot give the login back: the read-back check must catch it.
    writeFileSync(
      join(bin, 'docker-credential-broken'),
      '#!/bin/sh\ncat >/dev/null\n[ "$1" = store ] && exit 0\necho "credentials not found in native keychain"; exit 1\n',
    );
    chmodSync(join(bin, 'docker-credential-broken'), 0o755);
    const env = { ...w.env, PATH: `${bin}:${w.env['PATH'] ?? ''}` };
    const result = await runHelper({ args: ['configure', '--store'], env, input: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^docker-credential-ecr-ts: error: moving the login for "ghcr.io" into docker-credential-broken could not be verified \(credentials not found in native keychain\); config.json was not changed\n$/,
    );
    expect(readFileSync(w.dockerFile, 'utf8')).toBe(DOCKER_CONFIG);
    expect(readdirSync(w.dockerDir)).toEqual(['config.json']);
  });

  it('refuses when the config file names another fallback than the earlier credsStore', async () => {
    const w = world(`{"credsStore": "desktop"}`);
    mkdirSync(join(w.home, '.config', 'docker-credential-ecr-ts'), { recursive: true });
    writeFileSync(w.configFile, '{"fallback": "pass"}');
    const result = await w.run(['configure', '--store']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has credsStore "desktop" but');
    expect(result.stderr).toContain('sets fallback "pass"');
    expect(readFileSync(w.dockerFile, 'utf8')).toBe(`{"credsStore": "desktop"}`);
  });
});
