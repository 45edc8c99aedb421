/**
 * A fleet that starts at once (docs/benchmarks.md, "A fleet starting at once"): 40 helper
 * processes launched together, each with its own HOME and key of one account, against a fake ECR
 * API that throttles GetAuthorizationToken with a token bucket of 10 calls refilled at 1 a second
 * (ECR's 200 + 20 a second, scaled down). For our executable at the default 10 s bound and at
 * ECR_TS_TIMEOUT=30, and the Go helper side by side: machines served, API attempts, the slowest
 * machine, and what the failures print. The load average is printed before and after each run:
 * on a busy machine the starts themselves spread out, and the figures mean little.
 * `--rounds N` repeats each run; `--machines N`, `--capacity N`, `--per-second N` change the shape.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { KeyStore, startFakeEcr, type BucketShape, type FakeEcr } from '../test/support/fake-aws';
import { workDeadline } from '../src/deadline';
import { runFleet, type FleetRun } from '../test/support/fleet';
import { createNetns, netnsSupport } from '../test/support/netns';
import { createTestCa, type TestCa } from '../test/support/tls';

const ROOT = join(__dirname, '..');
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const API_HOST = 'api.ecr.eu-west-1.amazonaws.com';
const GO_HELPER = '/usr/bin/docker-credential-ecr-login';
const GO_NAME = 'Go docker-credential-ecr-login 0.6.0';
const EXECUTABLE = join(ROOT, 'dist', 'docker-credential-ecr-ts');

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const MACHINES = option('machines', 40);
const ROUNDS = option('rounds', 1);
const BUCKET: BucketShape = {
  capacity: option('capacity', 10),
  perSecond: option('per-second', 1),
};

/** One contender: an executable, its env on top of the fleet's, and a label. */
interface Contender {
  readonly name: string;
  readonly bin: string;
  /** Its variables on top of the fleet's, given the fake of the run. */
  readonly env: (ecr: FakeEcr) => Record<string, string>;
  /** The bound it runs with, for the arithmetic (the Go helper has none of its own). */
  readonly boundS?: number;
}

/** Where the fake listens and how each helper reaches it. */
interface Place {
  start(keys: KeyStore): Promise<FakeEcr>;
  readonly ours: (ecr: FakeEcr) => Record<string, string>;
  /** null: the Go helper cannot reach the fake here. */
  readonly go: Record<string, string> | null;
  readonly note: string;
}

/**
 * The Go helper (Debian's 0.6.0) calls https://api.ecr.<region>.amazonaws.com whatever
 * AWS_ENDPOINT_URL_ECR says (bench.ts found so; goHonoursEndpoint() checks again): where network
 * namespaces work, the bench re-runs itself in one with only loopback, whose /etc/hosts maps that
 * name to a TLS fake. Elsewhere only ours runs, over loopback HTTP.
 */
async function place(inNetns: boolean, ca: TestCa | undefined): Promise<Place> {
  if (!inNetns || !ca) {
    return {
      start: (keys) => startFakeEcr({ keys, bucket: BUCKET }),
      ours: (ecr) => ({ AWS_ENDPOINT_URL_ECR: ecr.url }),
      go: null,
      note: `plain loopback HTTP; the Go helper needs a network namespace: ${reason()}`,
    };
  }
  const leaf = await ca.issue({ dns: [API_HOST] });
  // No endpoint override at all: the SDK's own default endpoint, resolved by the namespace.
  const base = { AWS_ENDPOINT_URL: '' };
  return {
    start: (keys) =>
      startFakeEcr({ keys, host: '127.0.0.1', port: 443, tls: leaf, bucket: BUCKET }),
    ours: () => ({ ...base, NODE_EXTRA_CA_CERTS: ca.certPath }),
    go: { ...base, SSL_CERT_FILE: ca.certPath },
    note: `HTTPS fake at https://${API_HOST} inside a loopback-only network namespace`,
  };
}

function reason(): string {
  const support = netnsSupport();
  return support.ok ? 'available' : support.reason;
}

/** Whether the Go helper calls an AWS_ENDPOINT_URL_ECR fake (inside the namespace only). */
async function goHonoursEndpoint(where: Place): Promise<string> {
  if (!where.go || !existsSync(GO_HELPER)) return 'not checked (the Go helper cannot run here)';
  const keys = new KeyStore();
  const plain = await startFakeEcr({ keys });
  const tls = await where.start(keys);
  try {
    await runFleet({
      ecr: tls,
      keys,
      count: 1,
      bin: GO_HELPER,
      host: HOST,
      env: { ...where.go, AWS_ENDPOINT_URL_ECR: plain.url },
      killAfterMs: 30_000,
    });
    if (plain.requests.length > 0) return 'yes (it called the AWS_ENDPOINT_URL_ECR fake)';
    return tls.requests.length > 0
      ? `no (it called https://${API_HOST} anyway)`
      : 'no (it called neither fake)';
  } finally {
    await Promise.all([plain.close(), tls.close()]);
  }
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

/** What the bucket allows: at most capacity + perSecond * t served t s after the first call. */
function allowed(seconds: number): number {
  return Math.min(MACHINES, Math.floor(BUCKET.capacity + BUCKET.perSecond * seconds));
}

async function measure(contender: Contender, where: Place): Promise<void> {
  for (let round = 1; round <= ROUNDS; round += 1) {
    const keys = new KeyStore();
    const ecr = await where.start(keys);
    const before = load();
    let fleet: FleetRun;
    const started = Date.now();
    try {
      fleet = await runFleet({
        ecr,
        keys,
        count: MACHINES,
        bin: contender.bin,
        host: HOST,
        env: contender.env(ecr),
        killAfterMs: 120_000,
      });
    } finally {
      await ecr.close();
    }
    const after = load();
    const first = (ecr.firstRequestAt() ?? started) - started;
    const bound = contender.boundS;
    // Served means answered before the work deadline (the bound less its exit margin).
    const limit =
      bound === undefined
        ? ''
        : `; the bucket allows at most ${allowed((workDeadline(0, bound * 1000) - first) / 1000)} within the bound`;
    // The failures, grouped by their text with the numbers left out; one of each in full.
    const failures = new Map<string, { count: number; example: string }>();
    for (const machine of fleet.machines.filter((m) => !m.served)) {
      const key = machine.line.replace(/\d+(\.\d+)?/g, 'N');
      const seen = failures.get(key);
      failures.set(key, { count: (seen?.count ?? 0) + 1, example: seen?.example ?? machine.line });
    }
    process.stdout.write(
      [
        `  ${contender.name}${ROUNDS > 1 ? ` (round ${round})` : ''}`,
        `    served ${fleet.served} of ${MACHINES}${limit}`,
        `    API attempts ${fleet.attempts} (${fleet.throttled} throttled), ${(fleet.attempts / MACHINES).toFixed(2)} per machine; most by one machine ${Math.max(...fleet.machines.map((m) => m.attempts))}`,
        `    slowest served machine ${(fleet.slowestServedMs / 1000).toFixed(1)} s, slowest machine ${(fleet.slowestMs / 1000).toFixed(1)} s; first API call ${(first / 1000).toFixed(1)} s after the start`,
        ...[...failures.values()].map(
          ({ count, example }) => `    ${count} failed, e.g.: ${example}`,
        ),
        `    load average before ${before}, after ${after}`,
        '',
      ].join('\n'),
    );
  }
}

async function main(): Promise<void> {
  const inNetns = process.env['ECR_TS_BENCH_NETNS'] === '1';
  if (!inNetns && netnsSupport().ok && !process.argv.includes('--no-netns')) {
    const netns = await createNetns({ hosts: { [API_HOST]: '127.0.0.1' } });
    try {
      const child = netns.spawn(process.execPath, [__filename, ...process.argv.slice(2)], {
        stdio: 'inherit',
        env: { ...process.env, ECR_TS_BENCH_NETNS: '1' },
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      process.exitCode = code ?? 1;
    } finally {
      await netns.close();
    }
    return;
  }
  const ca = inNetns ? await createTestCa('docker-credential-ecr-ts fleet bench CA') : undefined;
  try {
    const where = await place(inNetns, ca);
    process.stdout.write(
      `fleet start: ${MACHINES} machines at once, each its own HOME; bucket ${BUCKET.capacity} calls + ${BUCKET.perSecond}/s; fake ECR: ${where.note}\n`,
    );
    process.stdout.write(
      `  (the bucket allows at most ${BUCKET.capacity} + ${BUCKET.perSecond} x t machines served t s after the first call)\n`,
    );
    process.stdout.write(
      `  Go helper honours AWS_ENDPOINT_URL_ECR: ${await goHonoursEndpoint(where)}\n\n`,
    );
    const contenders: Contender[] = [];
    if (existsSync(EXECUTABLE)) {
      contenders.push(
        { name: 'executable, default bound (10 s)', bin: EXECUTABLE, env: where.ours, boundS: 10 },
        {
          name: 'executable, ECR_TS_TIMEOUT=30',
          bin: EXECUTABLE,
          env: (ecr) => ({ ...where.ours(ecr), ECR_TS_TIMEOUT: '30' }),
          boundS: 30,
        },
      );
    } else {
      process.stdout.write(`  (no ${EXECUTABLE}: run npm run build)\n`);
    }
    const go = where.go;
    if (go && existsSync(GO_HELPER)) {
      contenders.push({ name: GO_NAME, bin: GO_HELPER, env: () => go });
    }
    for (const contender of contenders) await measure(contender, where);
  } finally {
    ca?.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fleet bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
