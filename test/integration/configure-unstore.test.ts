/**
 * `configure --unstore` undoes `configure --store` (docs/configure.md#going-back-configure---unstore):
 * the logins go back where docker looks without this helper (the earlier credsStore, or `auths`),
 * credsStore is restored, and the fallback loses a login only once config.json holds it; a dry
 * run writes nothing, and a run that stopped midway is finished by the next one.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { ECR_HOST as ECR } from '../support/registry-host';
import { authEntry, configureWorld, fakeHelperLogins, installFakeHelper } from './configure-world';

scrubProcessEnv();
const SECRET = 'pa55-SENTINEL-unstore';
const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? it : it.skip;
const NOBODY = 65534;

const login = (host: string, user: string, secret: string): string =>
  JSON.stringify({ ServerURL: host, Username: user, Secret: secret });

// Tabs, as docker writes them.
const DOCKER_CONFIG = `${JSON.stringify(
  {
    auths: {
      'ghcr.io': authEntry('octocat', SECRET),
      'https://index.docker.io/v1/': authEntry('hubuser', `${SECRET}-hub`),
      [ECR]: authEntry('AWS', 'stale-ecr-token'),
      'quay.io': {},
    },
    psFormat: 'table {{.ID}}',
  },
  null,
  '\t',
)}\n`;

describe('configure --unstore after configure --store into the file store', () => {
  it('puts every login of the file store back into auths and removes credsStore', async () => {
    const w = configureWorld(DOCKER_CONFIG);
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    const record = `${w.dockerFile}.ecr-ts-store.json`;
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(readFileSync(record, 'utf8')).not.toContain(SECRET);
    // A later `docker login` went through the helper into its file store.
    const later = await w.run(['store'], {
      input: login('registry.later.io', 'late', `${SECRET}-late`),
    });
    expect(later.code).toBe(0);

    const dry = await w.run(['configure', '--unstore', '--dry-run']);
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    expect(dry.stdout).toContain('would remove credsStore (was "ecr-ts")');
    expect(dry.stdout).toContain(
      'would move the login for "ghcr.io" (user "octocat") from the file store into auths',
    );
    expect(dry.stdout).toContain('would move the login for "registry.later.io" (user "late")');
    expect(w.docker()['credsStore']).toBe('ecr-ts');

    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).toContain('remove credsStore (was "ecr-ts")');
    expect(result.stdout).toContain('removed 3 moved login(s) from the file store');
    expect(w.docker()).toEqual({
      auths: {
        'quay.io': {},
        'ghcr.io': authEntry('octocat', SECRET),
        'https://index.docker.io/v1/': authEntry('hubuser', `${SECRET}-hub`),
        'registry.later.io': authEntry('late', `${SECRET}-late`),
      },
      psFormat: 'table {{.ID}}',
    });
    expect(readFileSync(w.dockerFile, 'utf8')).toContain('\t"psFormat": "table {{.ID}}"');
    expect(existsSync(record)).toBe(false);
    expect(JSON.parse((await w.run(['list'])).stdout)).toEqual({});
    // Nothing left to undo.
    const again = await w.run(['configure', '--unstore']);
    expect([again.code, again.stdout]).toEqual([
      0,
      `credsStore in ${w.dockerFile} is not set, not "ecr-ts": nothing to undo\n`,
    ]);
  });

  it('keeps a login auths already holds for the server, and leaves the fallback copy', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    // Someone wrote a plaintext login for the same server meanwhile (docker ignored it).
    const config = w.docker();
    writeFileSync(
      w.dockerFile,
      JSON.stringify({ ...config, auths: { 'https://ghcr.io': authEntry('b', `${SECRET}-b`) } }),
    );
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'left the login for "ghcr.io" in the file store: auths["https://ghcr.io"] already holds a login for it (kept)',
    );
    expect(w.docker()).toEqual({ auths: { 'https://ghcr.io': authEntry('b', `${SECRET}-b`) } });
    const kept = await w.run(['get'], { input: 'ghcr.io' });
    expect(JSON.parse(kept.stdout)).toMatchObject({ Username: 'a', Secret: SECRET });
  });

  it('finishes a run that stopped after config.json was written: the fallback copies go', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    // The state such a run leaves: config.json restored, the record and the copies still there.
    writeFileSync(w.dockerFile, JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('finished an earlier configure --unstore that stopped midway');
    expect(JSON.parse((await w.run(['list'])).stdout)).toEqual({});
    expect(existsSync(`${w.dockerFile}.ecr-ts-store.json`)).toBe(false);
  });
});

describe('configure --unstore with a helper', () => {
  it('restores the earlier credsStore; its logins, moved ones included, stay there', async () => {
    const w = configureWorld(
      JSON.stringify({ credsStore: 'keeper', auths: { 'ghcr.io': authEntry('a', SECRET) } }),
    );
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    expect(fakeHelperLogins(db)).toEqual({ 'ghcr.io': ['a', SECRET] });
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('set credsStore = "keeper" (was "ecr-ts")');
    expect(w.docker()).toEqual({ credsStore: 'keeper', auths: {} });
    expect(fakeHelperLogins(db)).toEqual({ 'ghcr.io': ['a', SECRET] });
  });

  it('copies the file store into the earlier credsStore when the fallback was changed to the file store since', async () => {
    const w = configureWorld(JSON.stringify({ credsStore: 'keeper' }));
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    w.writeConfigFile('{"fallback": "file"}');
    expect((await w.run(['store'], { input: login('ghcr.io', 'a', SECRET) })).code).toBe(0);
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'move the login for "ghcr.io" (user "a") from the file store into docker-credential-keeper',
    );
    expect(w.docker()).toEqual({ credsStore: 'keeper' });
    expect(fakeHelperLogins(db)).toEqual({ 'ghcr.io': ['a', SECRET] });
    expect(JSON.parse((await w.run(['list'])).stdout)).toEqual({});
  });

  it('takes back out of a configured helper what the migration put there, when that is all it holds', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    w.writeConfigFile('{"fallback": "keeper"}');
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'move the login for "ghcr.io" (user "a") from docker-credential-keeper into auths',
    );
    expect(w.docker()).toEqual({ auths: { 'ghcr.io': authEntry('a', SECRET) } });
    expect(fakeHelperLogins(db)).toEqual({});
  });

  it('keeps a configured helper as credsStore when it holds logins the migration did not put there', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    w.writeConfigFile('{"fallback": "keeper"}');
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    // docker login through the helper after --store: into keeper; docker reads it only through a
    // credsStore, so making keeper the credsStore is what keeps it (and nothing turns plaintext).
    expect((await w.run(['store'], { input: login('quay.io', 'q', `${SECRET}-quay`) })).code).toBe(
      0,
    );
    const dry = await w.run(['configure', '--unstore', '--dry-run']);
    expect(dry.stdout).toContain('would set credsStore = "keeper" (was "ecr-ts")');
    expect(dry.stdout).not.toContain('move the login');
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'docker-credential-keeper holds 1 login(s) configure --store did not put there ("quay.io"): it becomes the credsStore, so docker keeps reading every login it read through ecr-ts',
    );
    expect(result.stdout).toContain('set credsStore = "keeper" (was "ecr-ts")');
    expect(result.stdout).not.toContain('move the login');
    expect(w.docker()).toEqual({ credsStore: 'keeper', auths: {} });
    expect(fakeHelperLogins(db)).toEqual({
      'ghcr.io': ['a', SECRET],
      'quay.io': ['q', `${SECRET}-quay`],
    });
    expect(existsSync(`${w.dockerFile}.ecr-ts-store.json`)).toBe(false);
  });

  it('keeps a configured helper that cannot list as credsStore: it may hold other logins', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db, { list: false });
    w.writeConfigFile('{"fallback": "keeper"}');
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'docker-credential-keeper cannot list its logins, so it may hold logins configure --store did not put there: it becomes the credsStore',
    );
    expect(w.docker()).toEqual({ credsStore: 'keeper', auths: {} });
    expect(fakeHelperLogins(db)).toEqual({ 'ghcr.io': ['a', SECRET] });
  });

  it('without a record, makes a helper fallback the credsStore: nothing turns into plaintext', async () => {
    const w = configureWorld(JSON.stringify({ credsStore: 'ecr-ts' }));
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    w.writeConfigFile('{"fallback": "keeper"}');
    expect((await w.run(['store'], { input: login('ghcr.io', 'a', SECRET) })).code).toBe(0);
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      `no record of configure --store beside ${w.dockerFile}: the fallback "keeper" becomes the credsStore, as it holds the logins`,
    );
    expect(w.docker()).toEqual({ credsStore: 'keeper' });
    expect(fakeHelperLogins(db)).toEqual({ 'ghcr.io': ['a', SECRET] });
  });

  it('says there is nothing to undo when credsStore is not this helper, and changes nothing', async () => {
    const text = JSON.stringify({ credsStore: 'desktop' });
    const w = configureWorld(text);
    const result = await w.run(['configure', '--unstore']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe(
      `credsStore in ${w.dockerFile} is "desktop", not "ecr-ts": nothing to undo\n`,
    );
    expect(readFileSync(w.dockerFile, 'utf8')).toBe(text);
    expect(readdirSync(w.dockerDir)).toEqual(['config.json']);
  });

  it('refuses registries or --store beside --unstore', async () => {
    const w = configureWorld('{}');
    const result = await w.run(['configure', '--unstore', ECR]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('configure --unstore takes no registry and no --store');
  });
});

describe("configure --unstore on another user's docker config", () => {
  rootOnly("refuses to move logins out of this user's store into the user's file", async () => {
    const w = configureWorld(JSON.stringify({ credsStore: 'ecr-ts' }));
    for (const path of [w.home, w.dockerDir, w.dockerFile]) {
      chmodSync(path, path === w.dockerFile ? 0o600 : 0o755);
      chownSync(path, NOBODY, NOBODY);
    }
    const admin = configureWorld(null);
    expect((await admin.run(['store'], { input: login('ghcr.io', 'root', SECRET) })).code).toBe(0);
    const result = await admin.run(['configure', '--unstore'], {
      env: { DOCKER_CONFIG: w.dockerDir },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`belongs to uid ${NOBODY}, not to this user (uid 0)`);
    expect(result.stderr).toContain('run configure --unstore as that user');
    expect(w.docker()).toEqual({ credsStore: 'ecr-ts' });
  });
});
