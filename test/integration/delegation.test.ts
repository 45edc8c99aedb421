/**
 * Delegation to another docker-credential-<name> through the built helper (docs/universal-mode.md), against
 * small stub helpers: a working one, and ones that crash, hang, answer garbage or too much, are
 * missing, or lead back to this helper. Each failure is one line naming the helper, within the
 * call's bound, and a loop ends after one round instead of a process storm.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { HELPER_BIN, runHelper, type RunResult } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();
const SECRET = 'pa55-SENTINEL-delegation';
const GET_SECRET = 'GET-SECRET-QQQ9-delegation';
const RECURSE_PRELUDE = `
    d=$(cat "$STUB_DIR/recurse.depth" 2>/dev/null || echo 0); echo $((d+1)) > "$STUB_DIR/recurse.depth"
    echo "depth $d" >> "$STUB_DIR/recurse.log"
    sleep "\${RECURSE_SLEEP:-0}"
    if [ "$d" -ge "\${RECURSE_MAX:-6}" ]; then sleep 5; exit 1; fi`;

/** Stub helpers, as shell scripts; $STUB_LOG records each run. */
const STUBS: Record<string, string> = {
  // A tiny real store: one file per server, not-found as the protocol says.
  good: `
    input=$(cat); echo "$1" >> "$STUB_LOG"
    case "$1" in
      store) printf '%s' "$input" > "$STUB_DIR/stored.json" ;;
      get) if [ -f "$STUB_DIR/stored.json" ]; then cat "$STUB_DIR/stored.json"
           else echo "credentials not found in native keychain"; exit 1; fi ;;
      erase) rm -f "$STUB_DIR/stored.json" ;;
      list) if [ -f "$STUB_DIR/stored.json" ]; then echo '{"ghcr.io":"me","123456789012.dkr.ecr.us-east-1.amazonaws.com":"AWS"}'; else echo '{}'; fi ;;
    esac`,
  picky: `cat >/dev/null; echo "gpg: decryption failed: No secret key"; exit 3`,
  crash: `cat >/dev/null; kill -SEGV $$`,
  hang: `echo $$ > "$STUB_DIR/hang.pid"; sleep 60 & echo $! > "$STUB_DIR/sleep.pid"; wait`,
  garbage: `cat >/dev/null; echo "<html>${SECRET}</html>"`,
  flood: `cat >/dev/null; head -c 3000000 /dev/zero | tr '\\0' a`,
  quiet: `cat >/dev/null; exit 2`,
  // Leads back to the helper under test: a route loop through another program.
  loop: `echo loop >> "$STUB_LOG"; exec "${HELPER_BIN}" "$@"`,
  // Chatty on stderr about the secret it answers.
  leakyerr: `cat >/dev/null; echo "debug: returning value ${GET_SECRET} for you" >&2
    printf '%s\\n' '{"Username":"u","Secret":"${GET_SECRET}"}'`,
  // A failure text of 500 KB.
  bigerr: `cat >/dev/null; head -c 500000 /dev/zero | tr '\\0' e; head -c 500000 /dev/zero | tr '\\0' f >&2; exit 1`,
  hang2: `echo $$ > "$STUB_DIR/hang2.pid"; sleep 60 & wait`,
  // A loop that sudo, env -i or su -l would make: ECR_TS_CALL_DEPTH is dropped on the way. The
  // log and the depth file are the test's view of the chain; RECURSE_MAX is its brake.
  recurse: `${RECURSE_PRELUDE}
    exec env -u ECR_TS_CALL_DEPTH "${HELPER_BIN}" "$@"`,
  // As sudo or env -i would: nothing of ours survives in the environment.
  scrub: `${RECURSE_PRELUDE}
    exec env -u ECR_TS_CALL_DEPTH -u ECR_TS_DEADLINE "${HELPER_BIN}" "$@"`,
  // Through a daemon: the next instance is no descendant of this one.
  daemon: `${RECURSE_PRELUDE}
    input=$(cat); out=$(printf '%s' "$input" | setsid -f env -u ECR_TS_CALL_DEPTH "${HELPER_BIN}" "$@")
    printf '%s\\n' "$out"; exit 1`,
  // Starts this helper in a session of its own, with a long bound of its own, on a stdin that
  // stays open (its caller is a daemon that never writes), and waits.
  detach: `echo $$ > "$STUB_DIR/detach.pid"
    setsid -f sh -c 'sleep 30 | exec env -u ECR_TS_CALL_DEPTH ECR_TS_TIMEOUT=20 "$0" get' "${HELPER_BIN}"
    sleep 60`,
};

function world(fallback: string, registries: Record<string, unknown> = {}) {
  const home = tempDir('ecr-ts-delegation-');
  const bin = join(home, 'bin');
  mkdirSync(bin);
  for (const [name, body] of Object.entries(STUBS)) {
    const path = join(bin, `docker-credential-${name}`);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }
  symlinkSync(HELPER_BIN, join(bin, 'docker-credential-myself'));
  const config = join(home, 'config.json');
  writeFileSync(config, JSON.stringify({ fallback, registries }));
  const log = join(home, 'stub.log');
  const env = cleanEnv(home, {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    ECR_TS_CONFIG: config,
    STUB_DIR: home,
    STUB_LOG: log,
    ECR_TS_TIMEOUT: '3',
  });
  const run = (action: string, input?: string): Promise<RunResult> =>
    runHelper({
      args: [action],
      env,
      ...(input === undefined ? {} : { input }),
      killAfterMs: 20_000,
    });
  const runs = (): string[] =>
    existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { home, env, run, runs };
}

/** True while `pid` runs; a zombie (killed, not yet reaped by an init that never reaps) is dead. */
/**
 * False for a process that is gone, a zombie, exiting, or with SIGKILL pending: on a loaded machine a
 * killed process may not have been torn down yet when the helper returns, but it can run no more
 * code, which is what "stopped" means.
 */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) [ZX] /.test(stat)) return false;
    // Field 9 is the kernel's task flags: PF_EXITING (0x4) is set once it has begun to exit.
    const flags = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]);
    if ((flags & 0x4) !== 0) return false;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const SIGKILL_BIT = 1n << 8n; // signal 9
    const pending = [...status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)];
    return !pending.some((match) => (BigInt(`0x${match[1] ?? '0'}`) & SIGKILL_BIT) !== 0n);
  } catch {
    return false;
  }
}

const login = JSON.stringify({ ServerURL: 'ghcr.io', Username: 'me', Secret: SECRET });

describe('a fallback helper that works', () => {
  it('receives store, get, list and erase for a non-ECR host, and its answers pass through', async () => {
    const w = world('good');
    expect(await w.run('get', 'ghcr.io')).toMatchObject({
      code: 1,
      stdout: 'credentials not found in native keychain\n',
      stderr: '',
    });
    expect(await w.run('store', login)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const got = await w.run('get', 'ghcr.io');
    expect([got.code, got.stderr]).toEqual([0, '']);
    expect(JSON.parse(got.stdout)).toEqual({
      ServerURL: 'ghcr.io',
      Username: 'me',
      Secret: SECRET,
    });
    // list: the helper's entry for its own host; an ECR host it lists is not routed to it.
    const listed = await w.run('list');
    expect(JSON.parse(listed.stdout)).toEqual({ 'ghcr.io': 'me' });
    expect(await w.run('erase', 'ghcr.io')).toMatchObject({ code: 0, stdout: '' });
    expect((await w.run('get', 'ghcr.io')).code).toBe(1);
    expect(w.runs()).toEqual(['get', 'store', 'get', 'list', 'erase', 'get']);
  });

  it('is never asked about ECR hosts: store persists nothing, get needs no helper', async () => {
    const w = world('good');
    const ecr = JSON.stringify({
      ServerURL: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      Username: 'AWS',
      Secret: SECRET,
    });
    expect(await w.run('store', ecr)).toMatchObject({ code: 0, stdout: '' });
    expect(await w.run('erase', '123456789012.dkr.ecr.us-east-1.amazonaws.com')).toMatchObject({
      code: 0,
    });
    expect(w.runs()).toEqual([]);
  });

  it("passes a helper's own failure text and exit status through unchanged", async () => {
    const w = world('picky');
    expect(await w.run('get', 'ghcr.io')).toMatchObject({
      code: 3,
      stdout: 'gpg: decryption failed: No secret key\n',
    });
  });
});

describe('a fallback helper that fails', () => {
  it.each([
    ['crash', 'get', /^docker-credential-crash crashed during get \(SIGSEGV\)\n$/],
    [
      'garbage',
      'get',
      /^docker-credential-garbage answered get with something other than credentials JSON\n$/,
    ],
    [
      'flood',
      'get',
      /^docker-credential-flood answered get with more than 1 MB and was stopped\n$/,
    ],
    [
      'quiet',
      'store',
      /^docker-credential-quiet failed during store \(exit status 2\) without a message/,
    ],
    [
      'nosuch',
      'get',
      /^docker-credential-nosuch not found on PATH: install it, or change the route or "fallback" that names "nosuch"/,
    ],
    ['ecr-ts', 'get', /^refusing to delegate to docker-credential-ecr-ts: that is this helper/],
    ['myself', 'get', /^refusing to delegate to docker-credential-myself: .* is this helper/],
  ])('%s: %s fails with one line naming it, and no secret', async (fallback, action, text) => {
    const w = world(fallback);
    const result = await w.run(action, action === 'store' ? login : 'ghcr.io');
    // The helper's own exit status is passed through (quiet exits 2); ours is 1.
    expect(result.code).toBe(fallback === 'quiet' ? 2 : 1);
    expect(result.stdout).toMatch(text);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
    // docker pull hides stdout: the reason reaches stderr too.
    expect(result.stderr).toContain(result.stdout.trim());
  });

  it('hang: is stopped with its children within the bound, naming it', async () => {
    const w = world('hang');
    const result = await w.run('get', 'ghcr.io');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^docker-credential-hang did not answer get within \d+(\.\d)? s and was stopped/,
    );
    for (const file of ['hang.pid', 'sleep.pid']) {
      const pid = Number(readFileSync(join(w.home, file), 'utf8'));
      expect(isRunning(pid)).toBe(false);
    }
  });

  it('loop: a helper that calls this helper again ends after one round with one clear line', async () => {
    const w = world('loop');
    const result = await w.run('get', 'ghcr.io');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^refusing to delegate to docker-credential-loop: docker-credential-ecr-ts was itself started by a delegated helper \(ECR_TS_CALL_DEPTH=1\)/,
    );
    expect(w.runs()).toEqual(['loop']);
  });

  it('list warns about a broken fallback and still answers', async () => {
    const w = world('nosuch');
    const result = await w.run('list');
    expect([result.code, result.stdout]).toEqual([0, '{}\n']);
    expect(result.stderr).toMatch(
      /list: skipping docker-credential-nosuch: docker-credential-nosuch not found on PATH/,
    );
  });
});

describe('what a delegated helper prints', () => {
  it('is logged at debug level only after the secret in its answer is masked', async () => {
    const w = world('leakyerr');
    const result = await runHelper({
      args: ['get'],
      input: 'leaky.example.com',
      env: { ...w.env, ECR_TS_LOG_LEVEL: 'debug' },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Secret: GET_SECRET });
    // The line is there (so the check below can fail), with the secret masked.
    expect(result.stderr).toContain(
      'debug: docker-credential-leakyerr said: debug: returning value *** for you',
    );
    expect(result.stderr).not.toContain(GET_SECRET);
  });

  it('a failure text is relayed cut to a few KB, saying so, on stdout and stderr', async () => {
    const w = world('bigerr');
    const result = await w.run('get', 'ghcr.io');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^e{4000}e* \[cut: docker-credential-bigerr printed 500000 characters\]\n$/,
    );
    expect(result.stdout.length).toBeLessThan(8 * 1024);
    expect(result.stderr.length).toBeLessThan(8 * 1024);
    expect(result.stderr).toContain(result.stdout.trim());
  });
});

describe('list with helpers that hang', () => {
  it('gives each of them time within the bound, and says how long', async () => {
    const w = world('hang', { 'slow.example.com': { helper: 'hang2' } });
    const result = await w.run('list');
    expect([result.code, result.stdout]).toEqual([0, '{}\n']);
    const warnings = result.stderr.trim().split('\n');
    expect(warnings).toHaveLength(2);
    for (const name of ['hang', 'hang2']) {
      const line = warnings.find((text) => text.includes(`skipping docker-credential-${name}:`));
      expect(line).toMatch(/did not answer list within \d+(\.\d)? s and was stopped/);
      expect(line).not.toMatch(/within 0 s/);
      // It ran, and was stopped with its children.
      expect(isRunning(Number(readFileSync(join(w.home, `${name}.pid`), 'utf8')))).toBe(false);
    }
  });
});

/** Processes of this helper started for the chain tagged `tag` (its variable survives the loop). */
function instancesTagged(tag: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      if (!environ.includes(`RECURSE_TAG=${tag}`)) continue;
      // The executable itself, or Node running the npm shim (not a shell naming it).
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const runsHelper = args[0] === HELPER_BIN || args[1] === HELPER_BIN;
      if (runsHelper && isRunning(Number(pid))) found.push(Number(pid));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Whether `pid` is the top-level call (started by this test process). */
function isTopLevel(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for no tagged instance to be left; the ones still alive then. */
async function leftAfter(tag: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  for (;;) {
    const alive = instancesTagged(tag);
    if (alive.length === 0 || Date.now() > until) return alive;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('a delegation loop through a helper that drops ECR_TS_CALL_DEPTH', () => {
  const chain = async (name: string) => {
    const w = world(name);
    const tag = `${name}-${process.pid}-${Date.now()}`;
    const result = await runHelper({
      args: ['get'],
      input: 'rec.example.com',
      env: { ...w.env, RECURSE_TAG: tag, RECURSE_MAX: '20', RECURSE_SLEEP: '0.3' },
      killAfterMs: 30_000,
    });
    const alive = instancesTagged(tag);
    const log = join(w.home, 'recurse.log');
    const depths = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    return { result, alive, depths, tag };
  };
  const refusal = (helper: string, why: string) =>
    `refusing to delegate to docker-credential-${helper}: docker-credential-ecr-ts ${why}, so a route or the fallback leads back to it; point that helper elsewhere\n`;

  afterAll(() => {
    // Whatever a chain left (sleepers, or instances when the loop was not stopped): never left
    // behind by a failing run.
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes('RECURSE_TAG=')) {
          process.kill(Number(pid), 'SIGKILL');
        }
      } catch {
        // Not ours, or gone.
      }
    }
  });

  it('is stopped in its first round: the deadline passed down gives it away', async () => {
    const { result, alive, depths } = await chain('recurse');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      refusal(
        'recurse',
        'was itself started by a delegated helper (ECR_TS_DEADLINE is set, though ECR_TS_CALL_DEPTH was dropped on the way)',
      ),
    );
    expect(alive).toEqual([]);
    expect(depths()).toEqual(['depth 0']);
  });

  it('with no variable of ours left (sudo, env -i): an ancestor process runs this helper', async () => {
    const { result, alive, depths } = await chain('scrub');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^refusing to delegate to docker-credential-scrub: docker-credential-ecr-ts is already running further up this call \(process \d+\), so a route/,
    );
    expect(alive).toEqual([]);
    expect(depths()).toEqual(['depth 0']);
  });

  it('through a daemon (no ancestor to see): stopped in its first round too', async () => {
    const { result, tag, depths } = await chain('daemon');
    expect(result.code).toBe(1);
    expect(await leftAfter(tag, 1500)).toEqual([]);
    expect(depths()).toEqual(['depth 0']);
  });

  it('an instance started out of reach of the bound (its own session) ends by the top-level deadline', async () => {
    const w = world('detach');
    const tag = `detach-${process.pid}-${Date.now()}`;
    const running = runHelper({
      args: ['get'],
      input: 'rec.example.com',
      env: { ...w.env, RECURSE_TAG: tag, ECR_TS_TIMEOUT: '2' },
      killAfterMs: 30_000,
    });
    // The detached instance runs (so the test can fail), asking for 20 s of its own.
    let seen: number[] = [];
    for (let tries = 0; seen.length === 0 && tries < 40; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = instancesTagged(tag).filter((pid) => !isTopLevel(pid));
    }
    const result = await running;
    expect(result.stdout).toMatch(/^docker-credential-detach did not answer get within/);
    expect(seen).toHaveLength(1);
    // It had only what was left of this call's 2 s.
    expect(await leftAfter(tag, 1500)).toEqual([]);
  });
});
