/**
 * The helper's speed against its floor and against the Go reference helper, measured side by side
 * in one run against the same loopback fakes: warm `get` (cache hit) vs the bare runtime start,
 * warm `get` and its peak memory vs the Go helper's, cold `get` vs `docker-credential-ecr-login`, and
 * 20 concurrent cold gets. Prints medians and ratios; `--quick` runs fewer rounds; `--also NAME=PATH`
 * adds another executable (e.g. an older build) to the same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, tempDir } from '../test/support/env';
import { KeyStore, startFakeEcr, type FakeEcr } from '../test/support/fake-aws';
import { createNetns, netnsSupport } from '../test/support/netns';
import { createTestCa } from '../test/support/tls';
import { expectOk, mean, median, peakRssKb, timeRun, type Timed } from './measure';

const ROOT = join(__dirname, '..');
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const GO_HELPER = '/usr/bin/docker-credential-ecr-login';
const GO_NAME = 'Go docker-credential-ecr-login 0.6.0';
const API_HOST = 'api.ecr.eu-west-1.amazonaws.com';
const quick = process.argv.includes('--quick');
// bench/run.mjs finds the pinned Bun (scripts/bun-path.mjs) and passes it on.
const BUN = process.env['ECR_TS_BENCH_BUN'] ?? 'bun';
const BUN_VERSION = process.env['ECR_TS_BENCH_BUN_VERSION'] ?? '?';
const WARM_RUNS = quick ? 10 : 40;
const COLD_RUNS = quick ? 6 : 20;
const CONCURRENT = 20;
const CONCURRENT_ROUNDS = quick ? 1 : 3;
const MEMORY_RUNS = quick ? 3 : 10;
// bench/run.mjs compiles the probes (bench/probes/) with the same Bun and flags as the executable.
const WARM_PROBE = process.env['ECR_TS_BENCH_WARM_PROBE'];
const COLD_PROBE = process.env['ECR_TS_BENCH_COLD_PROBE'];
/** The targets of a warm get of the executable against its floor: time and peak memory above it. */
const WARM_ABOVE_FLOOR_MS = 2.5;
const RSS_ABOVE_FLOOR_MB = 6;
/** version, --help and list: what scripts run to check an install. */
const INFO_ABOVE_FLOOR_MS = 3;

/** Something that answers `get`, with the bare start of the runtime it is built on. */
interface Subject {
  readonly name: string;
  readonly command: string;
  /** The runtime floor: the same runtime starting and doing nothing. */
  readonly bare?: { readonly name: string; readonly command: string; readonly args: string[] };
}

/**
 * The npm bin on this Node, the executable (built with Bun) against a bare Bun executable, and any
 * `--also NAME=PATH` executables (e.g. an older build) measured in the same run.
 */
function subjects(): Subject[] {
  const list: Subject[] = [
    {
      name: `npm bin (Node ${process.version})`,
      command: join(ROOT, 'bin', 'docker-credential-ecr-ts'),
      bare: {
        name: `node -e 0 (${process.version})`,
        command: process.execPath,
        args: ['-e', '0'],
      },
    },
  ];
  const executable = join(ROOT, 'dist', 'docker-credential-ecr-ts');
  if (existsSync(executable)) {
    const floor = bareBunExecutable();
    list.push({
      name: `executable (Bun ${BUN_VERSION})`,
      command: executable,
      bare: { name: 'bare Bun executable', command: floor, args: [] },
    });
  }
  for (const [index, arg] of process.argv.entries()) {
    const also = arg === '--also' ? process.argv[index + 1] : undefined;
    const [name, command] = also?.split('=') ?? [];
    if (name && command) list.push({ name, command });
  }
  return list;
}

/** The floor: an executable compiled by the same Bun, with the same flags, from an empty program. */
function bareBunExecutable(): string {
  const dir = join(ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const source = join(dir, 'bare.js');
  const output = join(dir, `bare-bun-${BUN_VERSION}-esm`);
  if (!existsSync(output)) {
    writeFileSync(source, '');
    // The executable's flags (scripts/bun-compile.mjs): no .env or bunfig.toml read at start.
    const flags = ['--bytecode', '--minify', '--format=esm', '--no-compile-autoload-dotenv'];
    execFileSync(
      BUN,
      ['build', '--compile', ...flags, '--no-compile-autoload-bunfig', source, '--outfile', output],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return output;
}

function fmt(ms: number): string {
  return `${ms.toFixed(1).padStart(7)} ms`;
}

function verdict(ratio: number, target: number): string {
  return ratio <= target ? `meets ≤ ${target}` : `MISSES ≤ ${target}`;
}

/** Where the fake ECR answers and how each helper is pointed at it. */
interface Setup {
  readonly ecr: FakeEcr;
  /** Extra env of our helper and of the Go helper for calls that reach the API. */
  readonly ours: Record<string, string>;
  readonly go: Record<string, string> | null;
  readonly note: string;
}

/**
 * The Go helper (Debian's 0.6.0) ignores AWS_ENDPOINT_URL_ECR and always calls
 * https://api.ecr.<region>.amazonaws.com. So, where namespaces work, the whole benchmark re-runs
 * itself inside a fresh network namespace that has only loopback, whose /etc/hosts maps that name
 * to a TLS fake there: both helpers make the same HTTPS call, and nothing can leave the machine.
 */
async function setUp(
  keys: KeyStore,
  inNetns: boolean,
): Promise<{ setup: Setup; cleanup: () => void }> {
  if (!inNetns) {
    const ecr = await startFakeEcr({ keys });
    return {
      setup: {
        ecr,
        ours: { AWS_ENDPOINT_URL_ECR: ecr.url },
        go: null,
        note: `plain loopback HTTP (${ecr.url}); the Go helper needs a network namespace: ${netnsReason()}`,
      },
      cleanup: () => undefined,
    };
  }
  const ca = await createTestCa('docker-credential-ecr-ts bench CA');
  const leaf = await ca.issue({ dns: [API_HOST] });
  const ecr = await startFakeEcr({ keys, host: '127.0.0.1', port: 443, tls: leaf });
  // No endpoint override at all: the SDK's own default endpoint, resolved by the namespace.
  const base = { AWS_ENDPOINT_URL: '' };
  return {
    setup: {
      ecr,
      ours: { ...base, NODE_EXTRA_CA_CERTS: ca.certPath },
      go: { ...base, SSL_CERT_FILE: ca.certPath },
      note: `HTTPS fake at https://${API_HOST} inside a loopback-only network namespace`,
    },
    cleanup: () => ca.cleanup(),
  };
}

function netnsReason(): string {
  const support = netnsSupport();
  return support.ok ? 'available' : support.reason;
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
  const keys = new KeyStore();
  const key = keys.add({
    accessKeyId: 'AKIABENCHMARKEXAMPLE',
    secretAccessKey: 'bench-secret-access-key-0123456789abcdef',
  });
  const { setup, cleanup } = await setUp(keys, inNetns);
  const homes: string[] = [];
  const envFor = (extra: Record<string, string> = {}): Record<string, string> => {
    const home = tempDir('ecr-ts-bench-');
    homes.push(home);
    const env = cleanEnv(home, {
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      ...extra,
    });
    // An empty value means "unset": cleanEnv's catch-all endpoint must go in the namespace.
    return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  };
  const get = (command: string, env: Record<string, string>) =>
    timeRun(command, ['get'], { env, input: `${HOST}\n` });
  try {
    const list = subjects();
    process.stdout.write(
      `docker-credential-ecr-ts benchmarks (${quick ? 'quick' : 'full'}); fake ECR: ${setup.note}\n` +
        `load average before: ${loadText()} (figures mean something below 1, on 2 cores)\n`,
    );
    await warm(list, envFor, get, setup);
    await info(list, envFor);
    await kubelet(list, envFor, get, setup);
    await cold(list, envFor, get, setup);
    await concurrent(list, envFor, get, setup);
    process.stdout.write(`\nload average after: ${loadText()}\n`);
  } finally {
    await setup.ecr.close();
    cleanup();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  }
}

type Get = (command: string, env: Record<string, string>) => ReturnType<typeof timeRun>;

function loadText(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

/** The cache entry a priming get wrote under `env`'s XDG_CACHE_HOME (the warm probe reads it). */
function cacheEntry(env: Record<string, string>): string {
  const dir = join(env['XDG_CACHE_HOME'] ?? '', 'docker-credential-ecr-ts');
  const entry = readdirSync(dir).find(
    (name) => name.endsWith('.json') && !name.startsWith('config-'),
  );
  if (!entry) throw new Error(`no cache entry in ${dir}`);
  return join(dir, entry);
}

function mb(kb: number | undefined): string {
  return kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(1)} MB`;
}

async function warm(list: Subject[], envFor: EnvFor, get: Get, setup: Setup): Promise<void> {
  process.stdout.write(
    `\nwarm get (cache hit) vs the bare runtime start and the Go helper's hit, wall: median, cpu: mean of ${WARM_RUNS}, interleaved; peak RSS: max of ${MEMORY_RUNS}\n`,
  );
  const all = contenders(list, setup).map((contender) => ({
    ...contender,
    bare: list.find((subject) => subject.command === contender.command)?.bare,
  }));
  const rows: { name: string; wall: number; cpu: number; rssKb: number | undefined }[] = [];
  for (const contender of all) {
    const primeEnv = envFor(contender.extra);
    expectOk(await get(contender.command, primeEnv), `${contender.name} priming get`);
    // A hit makes no TLS call, so it runs without the test CA (identical cache identity).
    const env = Object.fromEntries(
      Object.entries(primeEnv).filter(
        ([name]) => name !== 'NODE_EXTRA_CA_CERTS' && name !== 'SSL_CERT_FILE',
      ),
    );
    const hits: Timed[] = [];
    const bares: Timed[] = [];
    const probes: Timed[] = [];
    const sockets: Timed[] = [];
    const { bare } = contender;
    const executable = contender.name.startsWith('executable');
    const probe = executable && WARM_PROBE ? WARM_PROBE : undefined;
    const probeEnv = { ...env, ECR_TS_PROBE_FILE: probe ? cacheEntry(env) : '' };
    const ours = contender.command !== GO_HELPER;
    const input = `${HOST}\n`;
    for (let i = 0; i < WARM_RUNS; i += 1) {
      // Alternate which goes first so none always runs on a warmer machine.
      const order = ['bare', 'hit', 'probe', 'socket'];
      for (const which of i % 2 ? order.reverse() : order) {
        if (which === 'hit') hits.push(expectOk(await get(contender.command, env), contender.name));
        else if (which === 'bare' && bare) {
          bares.push(expectOk(await timeRun(bare.command, bare.args, { env }), bare.name));
        } else if (which === 'probe' && probe) {
          probes.push(expectOk(await timeRun(probe, [], { env: probeEnv, input }), 'probe'));
        } else if (which === 'socket' && ours) {
          const run = await timeRun(contender.command, ['get'], { env, input, socket: true });
          sockets.push(expectOk(run, `${contender.name} (stdin a socket)`));
        }
      }
    }
    const row = {
      name: contender.name,
      wall: median(hits.map((run) => run.ms)),
      cpu: mean(hits.map((run) => run.cpuMs)),
      rssKb: await peakRssKb(contender.command, ['get'], { env, input: `${HOST}\n` }, MEMORY_RUNS),
    };
    rows.push(row);
    if (!bare) continue;
    const bareWall = median(bares.map((run) => run.ms));
    const bareCpu = mean(bares.map((run) => run.cpuMs));
    const above = row.wall - bareWall;
    const target = executable
      ? `  (${above <= WARM_ABOVE_FLOOR_MS ? 'meets' : 'MISSES'} ≤ +${WARM_ABOVE_FLOOR_MS} ms)`
      : '';
    process.stdout.write(
      `  ${contender.name.padEnd(36)} wall ${fmt(row.wall)}   ${bare.name}: ${fmt(bareWall)}   +${above.toFixed(1)} ms${target}\n` +
        `  ${''.padEnd(36)} cpu  ${fmt(row.cpu)}   ${bare.name}: ${fmt(bareCpu)}   +${(row.cpu - bareCpu).toFixed(1)} ms\n`,
    );
    if (sockets.length > 0) {
      const wall = median(sockets.map((run) => run.ms));
      process.stdout.write(
        `  ${'  the same, stdin a socket pair'.padEnd(36)} wall ${fmt(wall)}   (as Node's child_process, Testcontainers, pass it)\n`,
      );
    }
    if (!probe) continue;
    const probeWall = median(probes.map((run) => run.ms));
    const probeRss = await peakRssKb(probe, [], { env: probeEnv, input }, MEMORY_RUNS);
    const bareRss = await peakRssKb(bare.command, bare.args, { env }, MEMORY_RUNS);
    rows.push({ name: bare.name, wall: bareWall, cpu: bareCpu, rssKb: bareRss });
    rows.push({
      name: 'probe: floor + stdin + a file + answer',
      wall: probeWall,
      cpu: mean(probes.map((run) => run.cpuMs)),
      rssKb: probeRss,
    });
    process.stdout.write(
      `  ${'probe (bench/probes/warm-get.ts)'.padEnd(36)} wall ${fmt(probeWall)}   +${(probeWall - bareWall).toFixed(1)} ms over the floor: no code of ours\n`,
    );
    if (row.rssKb !== undefined && bareRss !== undefined && probeRss !== undefined) {
      const aboveMb = (row.rssKb - bareRss) / 1024;
      process.stdout.write(
        `  peak RSS above the bare start: executable +${aboveMb.toFixed(1)} MB (${aboveMb <= RSS_ABOVE_FLOOR_MB ? 'meets' : 'MISSES'} ≤ +${RSS_ABOVE_FLOOR_MB} MB), probe +${((probeRss - bareRss) / 1024).toFixed(1)} MB\n`,
      );
    }
  }
  await stages(list, envFor, get, setup);
  const go = rows.find((row) => row.name === GO_NAME);
  process.stdout.write(`  side by side:\n`);
  for (const row of rows) {
    const ratio =
      go && row !== go && !row.name.startsWith('probe') && !row.name.startsWith('bare')
        ? `   ratio to Go ${(row.wall / go.wall).toFixed(2)}  (${verdict(row.wall / go.wall, 1.0)})`
        : '';
    const rss = mb(row.rssKb);
    process.stdout.write(
      `  ${row.name.padEnd(36)} wall ${fmt(row.wall)}  cpu ${fmt(row.cpu)}  peak RSS ${rss.padStart(8)}${ratio}\n`,
    );
  }
}

type EnvFor = (extra?: Record<string, string>) => Record<string, string>;

/**
 * `version`, `--help` and `list` (what scripts run to check an install) against the same bare start,
 * interleaved; the Go helper's `version` beside them. Target for the executable: within 3 ms.
 */
async function info(list: Subject[], envFor: EnvFor): Promise<void> {
  process.stdout.write(
    `\nversion, --help and list vs the bare start, wall: median of ${WARM_RUNS}, interleaved\n`,
  );
  const env = envFor();
  const commands = [['version'], ['--help'], ['list']];
  for (const subject of list) {
    const { bare } = subject;
    if (!bare) continue;
    const times = commands.map(() => [] as number[]);
    const bares: number[] = [];
    for (let i = 0; i < WARM_RUNS; i += 1) {
      bares.push(expectOk(await timeRun(bare.command, bare.args, { env }), bare.name).ms);
      for (const [index, args] of commands.entries()) {
        times[index]?.push(
          expectOk(await timeRun(subject.command, args, { env }), args[0] ?? '').ms,
        );
      }
    }
    const floor = median(bares);
    const executable = subject.name.startsWith('executable');
    const parts = commands.map((args, index) => {
      const above = median(times[index] ?? []) - floor;
      const target = executable ? (above <= INFO_ABOVE_FLOOR_MS ? ' meets' : ' MISSES') : '';
      return `${args[0]} ${fmt(median(times[index] ?? []))} (+${above.toFixed(1)}${target})`;
    });
    process.stdout.write(
      `  ${subject.name.padEnd(36)} ${bare.name} ${fmt(floor)}; ${parts.join('; ')}${executable ? `  target ≤ +${INFO_ABOVE_FLOOR_MS} ms` : ''}\n`,
    );
  }
  if (existsSync(GO_HELPER)) {
    const go: number[] = [];
    for (let i = 0; i < WARM_RUNS; i += 1) {
      go.push(expectOk(await timeRun(GO_HELPER, ['version'], { env }), GO_NAME).ms);
    }
    process.stdout.write(`  ${GO_NAME.padEnd(36)} version ${fmt(median(go))}\n`);
  }
}

/**
 * A warm `get-credentials` (the kubelet's call: the same cache hit, a JSON request in and a
 * CredentialProviderResponse out) against a warm `get` of the same registry from the same cache,
 * interleaved. Target: under 10% more (docs/kubelet.md).
 */
async function kubelet(list: Subject[], envFor: EnvFor, get: Get, setup: Setup): Promise<void> {
  process.stdout.write(
    `\nwarm get-credentials (kubelet) vs warm get, same cache hit, wall: median, cpu: mean of ${WARM_RUNS}, interleaved\n`,
  );
  const request = JSON.stringify({
    apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
    kind: 'CredentialProviderRequest',
    image: `${HOST}/team/app`,
  });
  for (const subject of list) {
    const base = envFor(setup.ours);
    // The kubelet's default cache folder is /var/cache for root: name the one get uses instead.
    const home = base['HOME'] ?? '';
    const env = { ...base, AWS_ECR_CACHE_DIR: join(home, '.cache', 'docker-credential-ecr-ts') };
    expectOk(await get(subject.command, env), `${subject.name} priming get`);
    const gets: Timed[] = [];
    const kubelets: Timed[] = [];
    for (let i = 0; i < WARM_RUNS; i += 1) {
      const order = i % 2 ? ['get', 'kubelet'] : ['kubelet', 'get'];
      for (const which of order) {
        if (which === 'get') gets.push(expectOk(await get(subject.command, env), subject.name));
        else {
          const run = await timeRun(subject.command, ['get-credentials'], { env, input: request });
          kubelets.push(expectOk(run, `${subject.name} get-credentials`));
        }
      }
    }
    const answer = JSON.parse(kubelets[0]?.stdout ?? '{}') as { auth?: Record<string, unknown> };
    if (!answer.auth?.[HOST]) throw new Error(`${subject.name} get-credentials answered no token`);
    const wall = median(kubelets.map((run) => run.ms)) / median(gets.map((run) => run.ms));
    const cpu = mean(kubelets.map((run) => run.cpuMs)) / mean(gets.map((run) => run.cpuMs));
    process.stdout.write(
      `  ${subject.name.padEnd(36)} get-credentials ${fmt(median(kubelets.map((run) => run.ms)))}   get ${fmt(median(gets.map((run) => run.ms)))}   wall ratio ${wall.toFixed(2)}  (${verdict(wall, 1.1)}); cpu ratio ${cpu.toFixed(2)}\n`,
    );
  }
}

/**
 * Where a warm get of the executable goes, stage by stage: the bare runtime, then the same build
 * stopped right after the program is loaded, then after the modules a get needs are initialised,
 * then the whole get (bench/run.mjs builds .bench/staged).
 */
async function stages(list: Subject[], envFor: EnvFor, get: Get, setup: Setup): Promise<void> {
  const staged = process.env['ECR_TS_BENCH_STAGED'];
  const executable = list.find((subject) => subject.name.startsWith('executable'));
  if (!staged || !existsSync(staged) || !executable?.bare) return;
  const env = envFor(setup.ours);
  expectOk(await get(executable.command, env), 'priming get');
  const runs: [string, () => Promise<Timed>][] = [
    ['bare Bun executable (the floor)', () => timeRun(executable.bare?.command ?? '', [], { env })],
    [
      '+ loading the program',
      () => timeRun(staged, ['get'], { env: { ...env, ECR_TS_BENCH_STAGE: 'start' } }),
    ],
    [
      '+ initialising the modules of a get',
      () => timeRun(staged, ['get'], { env: { ...env, ECR_TS_BENCH_STAGE: 'init' } }),
    ],
    ['+ the get itself (= a warm get)', () => get(executable.command, env)],
  ];
  const times = runs.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < WARM_RUNS; i += 1) {
    for (const [index, [name, run]] of i % 2
      ? [...runs.entries()].reverse()
      : [...runs.entries()]) {
      const timed = expectOk(await run(), name);
      times[index]?.wall.push(timed.ms);
      times[index]?.cpu.push(timed.cpuMs);
    }
  }
  process.stdout.write(
    `  where the executable's warm get goes (wall median / cpu mean of ${WARM_RUNS}):\n`,
  );
  let previous: { wall: number; cpu: number } | undefined;
  for (const [index, [name]] of runs.entries()) {
    const wall = median(times[index]?.wall ?? []);
    const cpu = mean(times[index]?.cpu ?? []);
    const step = previous
      ? `  (+${(wall - previous.wall).toFixed(1)} ms wall, +${(cpu - previous.cpu).toFixed(1)} ms cpu)`
      : '';
    process.stdout.write(`    ${name.padEnd(40)} ${fmt(wall)} / ${fmt(cpu)}${step}\n`);
    previous = { wall, cpu };
  }
}

/** Our subjects and, when it can reach the fake, the Go helper, each with its env additions. */
function contenders(list: Subject[], setup: Setup) {
  const all = list.map((s) => ({ name: s.name, command: s.command, extra: setup.ours }));
  if (setup.go) all.push({ name: GO_NAME, command: GO_HELPER, extra: setup.go });
  return all;
}

async function cold(list: Subject[], envFor: EnvFor, get: Get, setup: Setup): Promise<void> {
  process.stdout.write(
    `\ncold get (caches disabled: one GetAuthorizationToken each) vs the Go helper, wall: median, cpu: mean of ${COLD_RUNS}, interleaved\n`,
  );
  const probe = COLD_PROBE
    ? [{ name: 'probe: client-ecr, one call', command: COLD_PROBE, extra: setup.ours }]
    : [];
  const runners = [...contenders(list, setup), ...probe].map((c) => ({
    ...c,
    env: envFor({ ...c.extra, AWS_ECR_DISABLE_CACHE: 'true' }),
    times: [] as number[],
    cpu: [] as number[],
  }));
  const before = setup.ecr.tokenCalls();
  for (let i = 0; i < COLD_RUNS; i += 1) {
    for (const runner of i % 2 ? [...runners].reverse() : runners) {
      const run = expectOk(await get(runner.command, runner.env), runner.name);
      runner.times.push(run.ms);
      runner.cpu.push(run.cpuMs);
    }
  }
  const calls = setup.ecr.tokenCalls() - before;
  const go = runners.find((r) => r.command === GO_HELPER);
  for (const runner of runners) {
    const ms = median(runner.times);
    // The probe has no target: it shows what the SDK alone costs on this runtime.
    const ratio = go && runner !== go ? ms / median(go.times) : undefined;
    const cpuRatio = go && runner !== go ? mean(runner.cpu) / mean(go.cpu) : undefined;
    const target = runner.name.startsWith('probe') ? '' : `  (${verdict(ratio ?? 0, 1.0)})`;
    const note =
      ratio === undefined
        ? ''
        : `   ratio to Go ${ratio.toFixed(2)}${target}; cpu ratio ${cpuRatio?.toFixed(2)}`;
    process.stdout.write(
      `  ${runner.name.padEnd(36)} wall ${fmt(ms)}  cpu ${fmt(mean(runner.cpu))}${note}\n`,
    );
  }
  process.stdout.write(`  (API calls made: ${calls} for ${COLD_RUNS * runners.length} gets)\n`);
}

async function concurrent(list: Subject[], envFor: EnvFor, get: Get, setup: Setup): Promise<void> {
  process.stdout.write(
    `\n${CONCURRENT} concurrent cold gets sharing one empty cache (median of ${CONCURRENT_ROUNDS} rounds)\n`,
  );
  for (const contender of contenders(list, setup)) {
    const walls: number[] = [];
    const calls: number[] = [];
    for (let round = 0; round < CONCURRENT_ROUNDS; round += 1) {
      // A fresh HOME: the Go helper caches in ~/.ecr, ours under XDG_CACHE_HOME.
      const env = envFor(contender.extra);
      const before = setup.ecr.tokenCalls();
      const started = process.hrtime.bigint();
      const runs = await Promise.all(
        Array.from({ length: CONCURRENT }, () => get(contender.command, env)),
      );
      walls.push(Number(process.hrtime.bigint() - started) / 1e6);
      runs.forEach((run) => expectOk(run, contender.name));
      calls.push(setup.ecr.tokenCalls() - before);
    }
    const target =
      contender.command === GO_HELPER
        ? ''
        : `  (${Math.max(...calls) === 1 ? 'meets' : 'MISSES'} 1 call)`;
    process.stdout.write(
      `  ${contender.name.padEnd(36)} API calls ${String(median(calls)).padStart(3)}${target}   wall ${fmt(median(walls))}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
