/**
 * Signing the release, end to end with a throwaway gpg key: scripts/release-files.mjs (what
 * build:release and build:packages end with) writes SHA256SUMS, signs it with ECR_TS_GPG_KEY and
 * ships the public key; install.sh in that folder then checks the signature, and refuses files
 * changed after signing. Unsigned, it says it checked hashes only.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { createSigningKey, type SigningKey } from '../support/signing-key';

scrubProcessEnv();

const ROOT = join(__dirname, '..', '..');
const NAME = 'docker-credential-ecr-ts';
const run = promisify(execFile);

/** This machine as the release files name it. */
function thisPlatform(): string {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  const musl = process.platform === 'linux' && !report.header?.glibcVersionRuntime;
  return `${process.platform}-${process.arch}${musl ? '-musl' : ''}`;
}

describe('a release folder signed by its builder', () => {
  let key: SigningKey;
  let keys: string;
  beforeAll(() => {
    keys = tempDir('ecr-ts-signing-');
    key = createSigningKey(keys);
  });
  afterAll(() => key.close());

  /** A release folder with a stand-in executable, finished (summed, signed) as the build does. */
  async function finished(sign: boolean): Promise<string> {
    const dir = join(tempDir('ecr-ts-release-'), 'release');
    mkdirSync(dir);
    writeFileSync(
      join(dir, `${NAME}-${thisPlatform()}`),
      `#!/bin/sh\necho "${NAME} (release) 1.0.0"\n`,
      { mode: 0o755 },
    );
    copyFileSync(join(ROOT, 'install.sh'), join(dir, 'install.sh'));
    const script = `import(${JSON.stringify(join(ROOT, 'scripts', 'release-files.mjs'))}).then((m) => m.finishRelease(${JSON.stringify(dir)}))`;
    await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...cleanEnv(keys, key.env), ...(sign ? { ECR_TS_GPG_KEY: key.fingerprint } : {}) },
    });
    return dir;
  }
  const install = (dir: string) =>
    run('bash', [join(dir, 'install.sh'), '--prefix', join(dir, '..', 'p')], {
      env: cleanEnv(join(dir, '..')),
    }).catch((error: { code: number; stderr: string }) => error);

  it('signs SHA256SUMS and ships the public key, both of which install.sh checks', async () => {
    const dir = await finished(true);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toContain('  install.sh\n');
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toContain('  release-key.asc\n');
    expect(readFileSync(join(dir, 'SHA256SUMS.asc'), 'utf8')).toContain('BEGIN PGP SIGNATURE');
    const result = await install(dir);
    expect(result.stderr).toContain(
      `SHA256SUMS: signature good, by the key shipped beside it (${key.fingerprint})`,
    );
    expect(existsSync(join(dir, '..', 'p', 'bin', NAME))).toBe(true);
  });

  it('a file changed after signing, with SHA256SUMS rewritten to match: refused', async () => {
    const dir = await finished(true);
    const file = `${NAME}-${thisPlatform()}`;
    writeFileSync(join(dir, file), `#!/bin/sh\necho "${NAME} (evil) 6.6.6"\n`);
    // The attacker rewrites SHA256SUMS as an unsigned build would, keeping the old signature.
    const script = `import(${JSON.stringify(join(ROOT, 'scripts', 'release-files.mjs'))}).then((m) => { const fs = require('node:fs'); const sig = fs.readFileSync('${dir}/SHA256SUMS.asc'); const pub = fs.readFileSync('${dir}/release-key.asc'); m.finishRelease(${JSON.stringify(dir)}, { log: () => {} }); fs.writeFileSync('${dir}/SHA256SUMS.asc', sig); fs.writeFileSync('${dir}/release-key.asc', pub); })`;
    await run(process.execPath, ['--input-type=commonjs', '-e', script], {
      env: cleanEnv(keys),
    });
    const result = await install(dir);
    expect(result.stderr).toContain('the signature SHA256SUMS.asc does not verify');
    expect(existsSync(join(dir, '..', 'p', 'bin', NAME))).toBe(false);
  });

  it('unsigned: no signature, no key, and install.sh says it checked hashes only', async () => {
    const dir = await finished(false);
    expect(existsSync(join(dir, 'SHA256SUMS.asc'))).toBe(false);
    expect(existsSync(join(dir, 'release-key.asc'))).toBe(false);
    const result = await install(dir);
    expect(result.stderr).toContain('SHA256SUMS is not signed: checked SHA256 hashes only');
    expect(existsSync(join(dir, '..', 'p', 'bin', NAME))).toBe(true);
  });
});
