/**
 * A throttled GetAuthorizationToken is waited out within the bound (docs/fleets.md): a cold get
 * keeps trying with random pauses, a fleet started at once shares the bucket's refill, and what
 * still fails says so in one line. Only behaviour is asserted here (how many tries, who was
 * served or told why); how many machines a bucket serves in how long is measured in bench/fleet.ts.
 */
import { spawn } from 'node:child_process';
import { CROWD_WINDOW_MS, LAST_TRY_MS, MAX_TRIES } from '../../src/aws/throttle-backoff';
import { workDeadline } from '../../src/deadline';
import { deferCleanup } from '../support/cleanup';
import { startEcrFixture } from '../support/ecr-fixture';
import { scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { runFleet } from '../support/fleet';
import { ECR_HOST } from '../support/registry-host';
import { HELPER_BIN } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';

scrubProcessEnv();

/** The failure line of a machine throttled until its bound (docs/troubleshooting.md). */
const THROTTLED_LINE =
  /^ecr:GetAuthorizationToken was throttled at http:\/\/127\.0\.0\.1:\d+ on (\d+) attempts? over [\d.]+ s \(ThrottlingException: Rate exceeded\): the calling AWS account's GetAuthorizationToken bucket in eu-west-1 \(200 calls, refilled at 20 a second\) is empty\. Machines that start at once share it: stagger their start, or raise ECR_TS_TIMEOUT \(seconds\) so that each waits longer for the refill\.$/;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 20_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a throttled GetAuthorizationToken', () => {
  it('is tried again until too little of the bound is left, then fails in one line saying what to do', async () => {
    const fx = await startEcrFixture();
    fx.ecr.defaultFault = 'throttle';
    const result = await fx.get({ killAfterMs: 30_000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    const [line, rest] = result.stdout.split('\n');
    expect(rest).toBe('');
    expect(line).toMatch(THROTTLED_LINE);
    // docker pull shows only stderr: the same reason is logged there.
    expect(result.stderr).toContain(line);
    const attempts = Number(THROTTLED_LINE.exec(line ?? '')?.[1]);
    expect(attempts).toBe(fx.ecr.requests.length);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(MAX_TRIES);
    // It gives up only when the time left cannot hold a useful try: never in the first part of
    // the default 10 s bound (the SDK alone gave up after about a second and a half).
    expect(result.ms).toBeGreaterThanOrEqual(
      workDeadline(0, 10_000) - CROWD_WINDOW_MS - LAST_TRY_MS,
    );
    expectNoSecrets(result.stdout + result.stderr, secretsOf([...fx.keys.keys.values()]), 'output');
  });

  it('still ends with the reason within the bound when the endpoint then hangs', async () => {
    const fx = await startEcrFixture();
    fx.ecr.faults.push('throttle');
    fx.ecr.defaultFault = 'hang';
    const result = await fx.get({ env: fx.env({ ECR_TS_TIMEOUT: '4' }), killAfterMs: 30_000 });
    // Ended by itself (the kill is 30 s away), with the hang as the reason.
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/timed out/);
    expect(result.stdout).toContain(fx.ecr.url);
    expect(fx.ecr.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('is waited out by one process while the others of the machine wait for its answer', async () => {
    const fx = await startEcrFixture();
    fx.ecr.faults.push('throttle');
    const env = fx.env({ ECR_TS_TIMEOUT: '4' });
    const holder = spawn(HELPER_BIN, ['get'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let holderOut = '';
    holder.stdout.on('data', (chunk: Buffer) => (holderOut += chunk.toString()));
    const holderCode = new Promise<number | null>((resolve) => holder.on('close', resolve));
    holder.stdin.end(`${ECR_HOST}\n`);
    // The holder has the lock and was throttled; the others start now, and wait behind it
    // while it pauses (their bounds end after its own, however long it waits).
    await until(() => fx.ecr.requests.length === 1, 'the first process to be throttled');
    const waiters = await Promise.all(Array.from({ length: 4 }, () => fx.get({ env })));
    expect(await holderCode).toBe(0);
    for (const run of waiters) {
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
    }
    const secrets = new Set([holderOut, ...waiters.map((run) => run.stdout)].map(secretOf));
    expect(secrets).toEqual(new Set(fx.ecr.passwords));
    expect(fx.ecr.tokenCalls()).toBe(1);
    expect(fx.ecr.requests).toHaveLength(2);
  });
});

describe('a fleet that starts at once against a small token bucket', () => {
  it('shares the refill: every machine is served or told it was throttled, and none hammers', async () => {
    const keys = new KeyStore();
    // 8 machines, 2 calls at once then 1 a second: the bucket cannot serve them all at once.
    const ecr = await startFakeEcr({ keys, bucket: { capacity: 2, perSecond: 1 } });
    deferCleanup(() => ecr.close());
    const fleet = await runFleet({
      ecr,
      keys,
      count: 8,
      bin: HELPER_BIN,
      host: ECR_HOST,
      // Generous: 8 starts on a loaded 2-core machine must not turn into timeouts.
      env: { AWS_ENDPOINT_URL_ECR: ecr.url, ECR_TS_TIMEOUT: '15' },
      killAfterMs: 60_000,
    });
    for (const machine of fleet.machines) {
      expect(machine.result.signal).toBeNull();
      if (machine.served) {
        expect(machine.result.stderr).toBe('');
      } else {
        expect(machine.result.code).toBe(1);
        expect(machine.line).toMatch(THROTTLED_LINE);
        // Throttled at its first try, it waited and tried again rather than give up.
        expect(machine.attempts).toBeGreaterThanOrEqual(2);
      }
      expect(machine.attempts).toBeGreaterThanOrEqual(1);
      expect(machine.attempts).toBeLessThanOrEqual(MAX_TRIES);
    }
    // The burst serves two at once; the refill serves more only to machines that waited.
    expect(fleet.served).toBeGreaterThan(2);
    expect(fleet.throttled).toBe(fleet.attempts - fleet.served);
  });
});

function secretOf(stdout: string): string {
  return (JSON.parse(stdout) as { Secret: string }).Secret;
}
