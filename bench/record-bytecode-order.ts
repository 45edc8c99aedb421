/**
 * Records which functions the executable runs for the starts that matter most, into
 * scripts/bytecode-order/ (`npm run build:bytecode-order`): a warm `get` (docker's every pull), a
 * warm `get-credentials` (the kubelet's), `list` and `version`. scripts/bun-compile.mjs lays that
 * bytecode out first. Against the tests' loopback fake ECR, in a temp HOME, with every AWS_*
 * variable of this shell dropped: nothing leaves the machine.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, tempDir } from '../test/support/env';
import { KeyStore, startFakeEcr } from '../test/support/fake-aws';

const ROOT = join(__dirname, '..');
const EXECUTABLE = join(ROOT, 'dist', 'docker-credential-ecr-ts');
const OUT = join(ROOT, 'scripts', 'bytecode-order');
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

/** Runs the executable; rejects unless it exits 0. */
function run(args: string[], env: Record<string, string>, input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(EXECUTABLE, args, { env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${args.join(' ')} failed: ${stderr.trim()}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

async function main(): Promise<void> {
  const keys = new KeyStore();
  const key = keys.add({
    accessKeyId: 'AKIARECORDEXAMPLE000',
    secretAccessKey: 'record-secret-access-key-0123456789abcdef',
  });
  const ecr = await startFakeEcr({ keys });
  const home = tempDir('ecr-ts-order-');
  try {
    const env = cleanEnv(home, {
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_ENDPOINT_URL_ECR: ecr.url,
      // The kubelet's default cache folder is /var/cache for root: the one `get` fills instead.
      ECR_TS_CACHE_DIR: join(home, '.cache', 'docker-credential-ecr-ts'),
    });
    await run(['get'], env, `${HOST}\n`); // fills the cache: what follows are hits
    const request = JSON.stringify({
      apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
      kind: 'CredentialProviderRequest',
      image: `${HOST}/team/app`,
    });
    const starts: [string, string[], string][] = [
      ['get', ['get'], `${HOST}\n`],
      ['get-credentials', ['get-credentials'], request],
      ['list', ['list'], ''],
      ['version', ['version'], ''],
    ];
    mkdirSync(OUT, { recursive: true });
    for (const [name, args, input] of starts) {
      const file = join(OUT, `${name}.txt`);
      // Written beside, then renamed: a failed recording leaves the last good profile.
      await run(args, { ...env, BUN_BYTECODE_ORDER_OUT: `${file}.new` }, input);
      renameSync(`${file}.new`, file);
      process.stdout.write(`recorded ${name}: ${file}\n`);
    }
  } finally {
    await ecr.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
