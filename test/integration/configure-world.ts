/**
 * A home folder for `configure --store` / `--unstore` tests: docker's config.json, the helper's
 * config file, its file store, and fake `docker-credential-<name>` helpers that keep logins in a
 * folder (one file per server URL) and can play another program writing config.json meanwhile.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, tempDir } from '../support/env';
import { runHelper, type RunResult } from '../support/run-helper';

/** base64, as docker writes `auth`. */
export const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** The `auth` entry docker writes for a login. */
export const authEntry = (user: string, password: string): { auth: string } => ({
  auth: b64(`${user}:${password}`),
});

/** One home: docker's folder (DOCKER_CONFIG) with `dockerConfig` in config.json, and the paths. */
export function configureWorld(dockerConfig: string | null) {
  const home = tempDir('ecr-ts-configure-world-');
  const dockerDir = join(home, '.docker');
  mkdirSync(dockerDir);
  const dockerFile = join(dockerDir, 'config.json');
  if (dockerConfig !== null) writeFileSync(dockerFile, dockerConfig);
  const configDir = join(home, '.config', 'docker-credential-ecr-ts');
  const configFile = join(configDir, 'config.json');
  const storeFile = join(home, '.local', 'share', 'docker-credential-ecr-ts', 'credentials.json');
  const bin = join(home, 'bin');
  mkdirSync(bin);
  const env = cleanEnv(home, { DOCKER_CONFIG: dockerDir, PATH: `${bin}:${process.env['PATH']}` });
  const run = (
    args: string[],
    options: {
      input?: string;
      env?: Record<string, string>;
      user?: { uid: number; gid: number };
    } = {},
  ): Promise<RunResult> =>
    runHelper({
      args,
      env: { ...env, ...options.env },
      input: options.input ?? '',
      killAfterMs: 40_000,
      ...(options.user ? { user: options.user } : {}),
    });
  const backups = (): string[] =>
    readdirSync(dockerDir)
      .filter((name) => name.endsWith('.bak'))
      .sort();
  const docker = (): Record<string, unknown> =>
    JSON.parse(readFileSync(dockerFile, 'utf8')) as Record<string, unknown>;
  const writeConfigFile = (text: string): void => {
    mkdirSync(configDir, { recursive: true });
    writeFileSync(configFile, text);
  };
  return {
    home,
    dockerDir,
    dockerFile,
    configDir,
    configFile,
    storeFile,
    bin,
    env,
    run,
    backups,
    docker,
    writeConfigFile,
  };
}

/**
 * Installs `docker-credential-<name>` in `bin`: a helper like `pass` that keeps each login in
 * `<db>/<server URL, escaped>.json` and answers get, store, erase and list. When `<db>/on-store`
 * holds `{"file": ..., "text": ...}`, its first `store` then replaces `file` with `text` (a temp
 * file and a rename, as docker does): another program writing config.json while configure runs.
 * With `list: false` it answers `list` as a helper without it does: an error, exit 1.
 */
export function installFakeHelper(
  bin: string,
  name: string,
  db: string,
  options: { list?: boolean } = {},
): void {
  mkdirSync(db, { recursive: true });
  const path = join(bin, `docker-credential-${name}`);
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const db = ${JSON.stringify(db)};
const entry = (url) => path.join(db, encodeURIComponent(url) + '.json');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const action = process.argv[2];
  if (action === 'store') {
    const login = JSON.parse(input);
    fs.writeFileSync(entry(login.ServerURL), JSON.stringify(login));
    const hook = path.join(db, 'on-store');
    if (fs.existsSync(hook)) {
      const { file, text } = JSON.parse(fs.readFileSync(hook, 'utf8'));
      fs.unlinkSync(hook);
      fs.writeFileSync(file + '.other-tool', text);
      fs.renameSync(file + '.other-tool', file);
    }
  } else if (action === 'get') {
    if (!fs.existsSync(entry(input.trim()))) {
      process.stdout.write('credentials not found in native keychain\\n');
      process.exit(1);
    }
    process.stdout.write(fs.readFileSync(entry(input.trim())));
  } else if (action === 'erase') {
    fs.rmSync(entry(input.trim()), { force: true });
  } else if (action === 'list' && !${options.list ?? true}) {
    process.stdout.write('list is not implemented\\n');
    process.exit(1);
  } else if (action === 'list') {
    const out = {};
    for (const file of fs.readdirSync(db).filter((f) => f.endsWith('.json'))) {
      const login = JSON.parse(fs.readFileSync(path.join(db, file), 'utf8'));
      out[login.ServerURL] = login.Username;
    }
    process.stdout.write(JSON.stringify(out));
  }
});
`,
  );
  chmodSync(path, 0o755);
}

/** The logins a fake helper keeps: server URL -> [user, secret]. */
export function fakeHelperLogins(db: string): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const file of readdirSync(db).filter((name) => name.endsWith('.json'))) {
    const login = JSON.parse(readFileSync(join(db, file), 'utf8')) as {
      ServerURL: string;
      Username: string;
      Secret: string;
    };
    out[login.ServerURL] = [login.Username, login.Secret];
  }
  return out;
}
