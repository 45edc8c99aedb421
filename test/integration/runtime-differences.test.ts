/**
 * What the Bun-compiled executable could do differently from the npm package on Node, pinned
 * down. Runs against HELPER_BIN in both jest configs; the cache-sharing test runs both builds.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { runHelper } from '../support/run-helper';
import { HOST, secretOf, startCacheFixture } from './cache-fixture';

scrubProcessEnv();

const ROOT = join(__dirname, '..', '..');
const NODE_BIN = join(ROOT, 'bin', 'docker-credential-ecr-ts');
const EXECUTABLE = join(ROOT, 'dist', 'docker-credential-ecr-ts');

describe('the working folder', () => {
  // A Bun executable reads .env and bunfig.toml from its working folder unless built not to;
  // docker runs the helper in the user's project, whose .env is not meant for it.
  it('has no say: a .env or bunfig.toml there changes nothing', async () => {
    const fx = await startCacheFixture();
    try {
      const project = join(fx.home, 'project');
      mkdirSync(project);
      const marker = join(fx.home, 'preloaded');
      writeFileSync(
        join(project, '.env'),
        'ECR_TS_LOG_LEVEL=debug\nAWS_ECR_DISABLE_CACHE=1\nECR_TS_TIMEOUT=abc\n',
      );
      writeFileSync(
        join(project, 'preload.js'),
        `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`,
      );
      writeFileSync(join(project, 'bunfig.toml'), 'preload = ["./preload.js"]\n');
      const first = await runHelper({
        args: ['get'],
        input: `${HOST}\n`,
        env: fx.env(),
        cwd: project,
      });
      const password = secretOf(first);
      // ECR_TS_LOG_LEVEL=debug would print on stderr; ECR_TS_TIMEOUT=abc would fail the call.
      expect(first.stderr).toBe('');
      const second = await runHelper({
        args: ['get'],
        input: `${HOST}\n`,
        env: fx.env(),
        cwd: project,
      });
      expect(secretOf(second)).toBe(password);
      // AWS_ECR_DISABLE_CACHE=1 would have made the second call fetch again.
      expect(fx.ecr.tokenCalls()).toBe(1);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await fx.close();
    }
  });
});

(existsSync(EXECUTABLE) ? describe : describe.skip)('the npm package and the executable', () => {
  // The cache key hashes the credential selectors and the AWS config files' stamps (mtime, size):
  // Node's node:crypto and Bun's hasher, and the two runtimes' stat, must agree to the digit.
  it.each([
    {
      writer: 'the npm bin (Node)',
      first: NODE_BIN,
      reader: 'the executable (Bun)',
      second: EXECUTABLE,
    },
    {
      writer: 'the executable (Bun)',
      first: EXECUTABLE,
      reader: 'the npm bin (Node)',
      second: NODE_BIN,
    },
  ])('share one cache: a token $writer fetched is a hit for $reader', async ({ first, second }) => {
    const fx = await startCacheFixture();
    try {
      const aws = join(fx.home, '.aws');
      mkdirSync(aws);
      writeFileSync(join(aws, 'config'), '[default]\nregion = eu-west-1\n');
      writeFileSync(join(aws, 'credentials'), '[other]\naws_access_key_id = AKIAOTHER\n');
      const run = (bin: string) =>
        runHelper({ bin, args: ['get'], input: `${HOST}\n`, env: fx.env() });
      const password = secretOf(await run(first));
      expect(secretOf(await run(second))).toBe(password);
      expect(fx.ecr.tokenCalls()).toBe(1);
      expect(fx.entryFiles()).toHaveLength(1);
    } finally {
      await fx.close();
    }
  });
});
