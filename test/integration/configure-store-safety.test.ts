/**
 * `configure --store` loses no login and strands none (docs/configure.md#moving-logins-safely):
 * root on another user's docker config is refused, two `auths` keys for one server keep the one
 * docker used, a login written while the migration runs is not deleted, the backup holds no moved
 * password, the helper's config file is written through a symlink, and a lock left by a stopped
 * run is taken over. Root-only cases run the user's side as `nobody` (root ignores permissions).
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { scrubProcessEnv, tempDir } from '../support/env';
import { HELPER_BIN } from '../support/run-helper';
import { ECR_HOST as ECR } from '../support/registry-host';
import {
  authEntry,
  b64,
  configureWorld,
  fakeHelperLogins,
  installFakeHelper,
} from './configure-world';

scrubProcessEnv();
const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? it : it.skip;
const NOBODY = 65534;
const SECRET = 'pa55-SENTINEL-store-safety';

/** Gives the folder tree `paths` to nobody, as a user's home would be. */
function giveToNobody(...paths: string[]): void {
  for (const path of paths) {
    chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o600);
    chownSync(path, NOBODY, NOBODY);
  }
}

describe("configure --store on another user's docker config (root provisioning)", () => {
  rootOnly(
    "refuses to move the user's logins into root's store, saying to run it as that user",
    async () => {
      const text = JSON.stringify({ auths: { 'ghcr.io': authEntry('alice', SECRET) } });
      const user = configureWorld(text);
      giveToNobody(user.home, user.dockerDir, user.dockerFile);
      const admin = configureWorld(null);
      const result = await admin.run(['configure', '--store'], {
        env: { DOCKER_CONFIG: user.dockerDir },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `docker-credential-ecr-ts: error: ${user.dockerFile} belongs to uid ${NOBODY}, not to this user (uid 0): configure --store would move its logins into this user's store and config file; run it as that user (e.g. sudo -u '#${NOBODY}' docker-credential-ecr-ts configure --store), nothing was changed\n`,
      );
      expect(readFileSync(user.dockerFile, 'utf8')).toBe(text);
      expect(readdirSync(user.dockerDir)).toEqual(['config.json']);
      expect(existsSync(admin.storeFile)).toBe(false);
      expect(existsSync(admin.configFile)).toBe(false);
      // Run as that user, the same migration works.
      const asUser = await user.run(['configure', '--store'], {
        user: { uid: NOBODY, gid: NOBODY },
      });
      expect([asUser.code, asUser.stderr]).toEqual([0, '']);
      const got = await user.run(['get'], { input: 'ghcr.io', user: { uid: NOBODY, gid: NOBODY } });
      expect(JSON.parse(got.stdout)).toMatchObject({ Username: 'alice', Secret: SECRET });
    },
  );

  rootOnly(
    "as root with the user's HOME (sudo -E) says the same in one line, not an internal error",
    async () => {
      const text = JSON.stringify({ credsStore: 'keeper' });
      const user = configureWorld(text);
      giveToNobody(user.home, user.dockerDir, user.dockerFile);
      const result = await user.run(['configure', '--store'], { env: { DOCKER_CONFIG: '' } });
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain('internal error');
      expect(result.stderr).toContain(`run it as that user`);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(user.dockerFile, 'utf8')).toBe(text);
    },
  );

  rootOnly(
    "as root with its own docker config but the user's HOME, names the folder it will not make",
    async () => {
      const user = configureWorld(null);
      giveToNobody(user.home);
      const admin = configureWorld('{"credsStore": "keeper"}');
      const result = await admin.run(['configure', '--store'], {
        env: { HOME: user.home, XDG_CONFIG_HOME: '' },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `docker-credential-ecr-ts: error: configure --store cannot write ${user.configFile}: ${user.configDir}: not creating it inside ${user.home}, which belongs to uid ${NOBODY}, not to this user (uid 0); nothing was changed\n`,
      );
      expect(readFileSync(admin.dockerFile, 'utf8')).toBe('{"credsStore": "keeper"}');
      expect(existsSync(join(user.home, '.config'))).toBe(false);
    },
  );

  rootOnly(
    "with nothing to move, sets credsStore and leaves the file, its backup and record the user's",
    async () => {
      const user = configureWorld('{\n\t"auths": {}\n}\n');
      giveToNobody(user.home, user.dockerDir, user.dockerFile);
      const admin = configureWorld(null);
      const result = await admin.run(['configure', '--store'], {
        env: { DOCKER_CONFIG: user.dockerDir },
      });
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(JSON.parse(readFileSync(user.dockerFile, 'utf8'))).toEqual({
        auths: {},
        credsStore: 'ecr-ts',
      });
      for (const name of readdirSync(user.dockerDir)) {
        const stats = statSync(join(user.dockerDir, name));
        expect([name, stats.uid, stats.gid]).toEqual([name, NOBODY, NOBODY]);
      }
      expect(user.backups()).toHaveLength(1);
    },
  );
});

describe('configure --store with two auths keys for one server', () => {
  it('keeps the login docker used (the exact key) and says which one it dropped', async () => {
    // Docker looks up auths["registry.example.com"] first; the https form is an old leftover.
    const w = configureWorld(
      JSON.stringify({
        auths: {
          'registry.example.com': authEntry('current', `${SECRET}-current`),
          'https://registry.example.com/': authEntry('stale', `${SECRET}-stale`),
        },
      }),
    );
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).toContain(
      'move the login for "registry.example.com" (user "current") from auths into the file store',
    );
    expect(result.stdout).toContain(
      'drop auths["https://registry.example.com/"] (user "stale"): another login for the same server, and docker used auths["registry.example.com"]',
    );
    const got = await w.run(['get'], { input: 'registry.example.com' });
    expect(JSON.parse(got.stdout)).toMatchObject({
      Username: 'current',
      Secret: `${SECRET}-current`,
    });
    expect(w.docker()['auths']).toEqual({});
  });

  it('keeps https://index.docker.io/v1/ for Docker Hub, the key docker looks up', async () => {
    const w = configureWorld(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': authEntry('hub', `${SECRET}-hub`),
          'index.docker.io': authEntry('other', `${SECRET}-other`),
        },
      }),
    );
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const got = await w.run(['get'], { input: 'https://index.docker.io/v1/' });
    expect(JSON.parse(got.stdout)).toMatchObject({ Username: 'hub', Secret: `${SECRET}-hub` });
  });

  it('moves one login for keys that agree, and removes them all', async () => {
    const w = configureWorld(
      JSON.stringify({
        auths: {
          'https://quay.io': authEntry('same', SECRET),
          'quay.io': authEntry('same', SECRET),
        },
      }),
    );
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toContain('drop auths');
    expect(w.docker()['auths']).toEqual({});
    const got = await w.run(['get'], { input: 'quay.io' });
    expect(JSON.parse(got.stdout)).toMatchObject({ Username: 'same', Secret: SECRET });
  });

  it('refuses, changing nothing, when logins disagree and none is the key docker looks up', async () => {
    const text = JSON.stringify({
      auths: {
        'https://registry.example.com/': authEntry('one', `${SECRET}-1`),
        'http://registry.example.com': authEntry('two', `${SECRET}-2`),
      },
    });
    const w = configureWorld(text);
    const result = await w.run(['configure', '--store']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `docker-credential-ecr-ts: error: ${w.dockerFile} has different logins for "registry.example.com" under auths["https://registry.example.com/"] (user "one") and auths["http://registry.example.com"] (user "two"), and docker could have used either: remove the stale one (docker logout, or by hand), then run configure --store again; nothing was changed\n`,
    );
    expect(readFileSync(w.dockerFile, 'utf8')).toBe(text);
    expect(existsSync(w.storeFile)).toBe(false);
  });
});

describe('configure --store while another program writes config.json', () => {
  it('moves a login changed meanwhile with its new value, and one added meanwhile too', async () => {
    const w = configureWorld(
      JSON.stringify({ auths: { 'ghcr.io': authEntry('gh', 'OLD-ghcr-pw') } }, null, '\t'),
    );
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    w.writeConfigFile('{"fallback": "keeper"}');
    // `docker login ghcr.io` (rotated password) and `docker login quay.io` land while the first
    // login is being stored.
    const rotated = {
      auths: {
        'ghcr.io': authEntry('gh', `${SECRET}-rotated`),
        'quay.io': authEntry('q', `${SECRET}-quay`),
      },
    };
    writeFileSync(
      join(db, 'on-store'),
      JSON.stringify({ file: w.dockerFile, text: JSON.stringify(rotated, null, '\t') }),
    );
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'the login for "ghcr.io" changed while configure ran (docker login?): moved its new value',
    );
    expect(result.stdout).toContain(
      'move the login for "quay.io" (user "q") from auths into docker-credential-keeper',
    );
    expect(result.stdout).not.toContain(SECRET);
    expect(w.docker()).toEqual({ auths: {}, credsStore: 'ecr-ts' });
    expect(fakeHelperLogins(db)).toEqual({
      'ghcr.io': ['gh', `${SECRET}-rotated`],
      'quay.io': ['q', `${SECRET}-quay`],
    });
    const got = await w.run(['get'], { input: 'ghcr.io' });
    expect(JSON.parse(got.stdout)).toMatchObject({ Secret: `${SECRET}-rotated` });
  });

  it('says so when a moved login was logged out meanwhile, and deletes no other key', async () => {
    const w = configureWorld(
      JSON.stringify({ auths: { 'ghcr.io': authEntry('gh', SECRET) } }, null, '\t'),
    );
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    w.writeConfigFile('{"fallback": "keeper"}');
    // `docker logout ghcr.io` lands while the login is being stored.
    writeFileSync(
      join(db, 'on-store'),
      JSON.stringify({ file: w.dockerFile, text: JSON.stringify({ auths: {}, psFormat: 'x' }) }),
    );
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'auths["ghcr.io"] was removed while configure ran (docker logout?), after its login was moved into docker-credential-keeper: run docker logout ghcr.io to remove it there too',
    );
    expect(w.docker()).toEqual({ auths: {}, psFormat: 'x', credsStore: 'ecr-ts' });
  });
});

describe('configure --store and plaintext left behind', () => {
  it('writes the backup without the moved passwords, and names an older backup that has them', async () => {
    const text = JSON.stringify({
      auths: { 'ghcr.io': authEntry('octocat', SECRET), [ECR]: authEntry('AWS', `${SECRET}-ecr`) },
    });
    const w = configureWorld(text);
    // An earlier `configure <registry>` kept the plaintext logins in its backup.
    const first = await w.run(['configure', ECR]);
    expect(first.code).toBe(0);
    const [older] = w.backups();
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const newest = w.backups().find((name) => name !== older) ?? '';
    const backup = readFileSync(join(w.dockerDir, newest), 'utf8');
    expect(backup).not.toContain(SECRET);
    expect(backup).not.toContain(b64(`octocat:${SECRET}`).slice(0, 12));
    expect(JSON.parse(backup)).toMatchObject({ credHelpers: { [ECR]: 'ecr-ts' } });
    expect(result.stdout).toContain(
      `${join(w.dockerDir, older ?? '')} (an earlier backup) still holds 1 of the moved passwords in plain text: delete it once docker works (rm '${join(w.dockerDir, older ?? '')}')`,
    );
    expect(result.stdout).not.toContain(SECRET);
  });

  it('keeps the newest 5 backups of config.json and removes older ones', async () => {
    const w = configureWorld('{}');
    const old = Array.from({ length: 6 }, (_, n) => `config.json.2020010${n + 1}T000000Z.bak`);
    for (const name of old) writeFileSync(join(w.dockerDir, name), '{}', { mode: 0o600 });
    writeFileSync(join(w.dockerDir, 'config.json.mine.bak'), 'not one of configure');
    const result = await w.run(['configure', ECR]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const left = w.backups();
    expect(left).toHaveLength(6);
    expect(left).toContain('config.json.mine.bak');
    expect(left.filter((name) => old.includes(name))).toEqual(old.slice(2));
    expect(result.stdout).toContain('removed 2 older backups of');
  });
});

describe("configure --store and the helper's own config file", () => {
  const stubStore = (w: ReturnType<typeof configureWorld>): string => {
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    return db;
  };

  it('writes the fallback through a symlinked config file (dotfiles) and keeps the link', async () => {
    const w = configureWorld('{"credsStore": "keeper"}');
    stubStore(w);
    const dotfiles = join(w.home, 'dotfiles');
    mkdirSync(dotfiles);
    writeFileSync(join(dotfiles, 'ecr-ts.json'), '{\n  "registries": {}\n}\n');
    mkdirSync(w.configDir, { recursive: true });
    symlinkSync(join(dotfiles, 'ecr-ts.json'), w.configFile);
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(lstatSync(w.configFile).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dotfiles, 'ecr-ts.json'), 'utf8'))).toEqual({
      registries: {},
      fallback: 'keeper',
    });
  });

  it('uses a config folder that is a symlink to a folder of the user', async () => {
    const w = configureWorld('{"credsStore": "keeper"}');
    stubStore(w);
    const dotfiles = join(w.home, 'dotfiles', 'ecr-ts');
    mkdirSync(dotfiles, { recursive: true, mode: 0o700 });
    mkdirSync(join(w.home, '.config'));
    symlinkSync(dotfiles, w.configDir);
    const result = await w.run(['configure', '--store']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(join(dotfiles, 'config.json'), 'utf8'))).toEqual({
      fallback: 'keeper',
    });
  });

  rootOnly("refuses a symlinked config file that leads to another user's file", async () => {
    const w = configureWorld('{"credsStore": "keeper"}');
    stubStore(w);
    const foreign = join(tempDir('ecr-ts-foreign-'), 'routes.json');
    writeFileSync(foreign, '{}');
    chownSync(foreign, NOBODY, NOBODY);
    mkdirSync(w.configDir, { recursive: true });
    symlinkSync(foreign, w.configFile);
    const result = await w.run(['configure', '--store']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      // The helper refuses to read such a file at all, before configure could write it.
      `docker-credential-ecr-ts: error: ${w.configFile}: refusing to use this config file: it belongs to uid ${NOBODY}, not to this user (uid 0)\n`,
    );
    expect(readFileSync(foreign, 'utf8')).toBe('{}');
    expect(readFileSync(w.dockerFile, 'utf8')).toBe('{"credsStore": "keeper"}');
  });
});

describe('configure after a run that was stopped while it held the lock', () => {
  it('takes the left-over lock over instead of failing with ELOCKED', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('gh', SECRET) } }));
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    // A fallback that hangs in `store`, so the first run holds the lock until it is killed.
    const hang = join(w.bin, 'docker-credential-hang');
    const started = join(w.home, 'store-started');
    writeFileSync(
      hang,
      `#!/bin/sh\ncat >/dev/null\necho $$ > '${started}.tmp'\nmv '${started}.tmp' '${started}'\nexec sleep 60\n`,
    );
    chmodSync(hang, 0o755);
    w.writeConfigFile('{"fallback": "hang"}');
    const first = spawn(HELPER_BIN, ['configure', '--store'], {
      env: { ...w.env, ECR_TS_TIMEOUT: '60' },
      stdio: 'ignore',
    });
    const ended = new Promise((resolve) => first.on('close', resolve));
    while (!existsSync(started)) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(`${w.dockerFile}.lock`)).toBe(true);
    first.kill('SIGKILL');
    await ended;
    process.kill(Number(readFileSync(started, 'utf8')), 'SIGKILL'); // the hung helper itself
    w.writeConfigFile('{"fallback": "keeper"}');
    const second = await w.run(['configure', '--store'], { env: { ECR_TS_TIMEOUT: '30' } });
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(w.docker()).toEqual({ auths: {}, credsStore: 'ecr-ts' });
    expect(fakeHelperLogins(db)).toEqual({ 'ghcr.io': ['gh', SECRET] });
  });
});
