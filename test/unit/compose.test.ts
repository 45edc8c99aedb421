import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext } from '../../src/actions/action-context';
import { compose } from '../../src/compose';

type Invocation = Parameters<typeof compose>[0];
import { HelperError, isHelperError } from '../../src/errors';
import { createLogger } from '../../src/log';
import { tempDir } from '../support/env';

/** A home with the given config file (none when undefined), and the env that points at it. */
function home(configFile?: string): { dir: string; env: Record<string, string> } {
  const dir = tempDir('ecr-ts-compose-');
  if (configFile !== undefined) {
    mkdirSync(join(dir, '.config', 'docker-credential-ecr-ts'), { recursive: true });
    writeFileSync(join(dir, '.config', 'docker-credential-ecr-ts', 'config.json'), configFile);
  }
  return { dir, env: { HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' } };
}

function invocation(env: Record<string, string>, more: Partial<Invocation> = {}): Invocation {
  return { env, uid: process.getuid?.() ?? -1, self: [], ...more };
}

/** The context one run hands its work. */
function contextOf(call: ReturnType<typeof compose>): Promise<ActionContext> {
  return call.run(async (context) => context);
}

describe('compose()', () => {
  it('hands the work one context: settings, routes by the config file, stores and tokens', async () => {
    const { env } = home(
      JSON.stringify({ fallback: 'none', registries: { 'quay.io': { anonymous: true } } }),
    );
    const call = compose(invocation({ ...env, ECR_TS_TIMEOUT: '7' }));
    expect(call.config.timeoutMs).toBe(7000);
    const context = await contextOf(call);
    expect(context.config).toBe(call.config);
    expect(context.logger).toBe(call.logger);
    expect(context.env['ECR_TS_TIMEOUT']).toBe('7');
    expect(context.routes.routeFor('quay.io')).toEqual({ kind: 'anonymous' });
    expect(context.routes.routeFor('ghcr.io')).toEqual({ kind: 'store', store: { kind: 'none' } });
    expect(context.openStore({ kind: 'none' }).label).toBe('no store');
    expect(typeof context.tokens.getToken).toBe('function');
    expect(context.signal.aborted).toBe(false);
    expect(context.progress).toEqual({ step: 'starting' });
  });

  it('throws a broken config file as its CONFIG error, unless asked for the settings only', () => {
    const { env } = home('{"fallbak": "pass"}');
    let caught: unknown;
    try {
      compose(invocation(env));
    } catch (error) {
      caught = error;
    }
    expect(isHelperError(caught, 'CONFIG')).toBe(true);
    expect(compose(invocation(env, { routes: false })).config.routes.entries()).toEqual([]);
  });

  it('records the config text as checked in the cache folder only when asked to', () => {
    const { dir, env } = home('{}');
    const cache = join(dir, '.cache', 'docker-credential-ecr-ts');
    mkdirSync(cache, { recursive: true, mode: 0o700 });
    compose(invocation(env));
    expect(readdirSync(cache)).toEqual([]);
    compose(invocation(env, { recordChecked: { euid: process.geteuid?.() } }));
    expect(readdirSync(cache).some((name) => name.endsWith('.checked'))).toBe(true);
  });

  it('tells the logger the settings it ignored', () => {
    const { env } = home();
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    compose(invocation({ ...env, AWS_ECR_CACHE_DIR: 'relative' }, { logger }));
    expect(lines).toEqual([
      'docker-credential-ecr-ts: warn: ignoring AWS_ECR_CACHE_DIR "relative": not an absolute path; the token cache is off\n',
    ]);
  });

  it('reads no stdin unless it was given one', async () => {
    const { env } = home();
    const without = await contextOf(compose(invocation(env)));
    await expect(without.readInput()).rejects.toBeInstanceOf(HelperError);
    const given = await contextOf(compose(invocation(env, { readInput: async () => 'x' })));
    expect(await given.readInput()).toBe('x');
  });

  it('bounds the work from the start of the call, naming the step it was on', async () => {
    const { env } = home();
    const call = compose(invocation(env, { startedAt: Date.now() - 60_000, timeoutMs: 1000 }));
    let signal: AbortSignal | undefined;
    const failure = await call
      .run((context) => {
        context.progress.step = 'waiting for the lock /x.lock';
        signal = context.signal;
        return new Promise<never>(() => undefined);
      })
      .catch((error: unknown) => error);
    expect(isHelperError(failure, 'TIMEOUT')).toBe(true);
    expect((failure as Error).message).toMatch(/^timed out after 1 s while waiting for the lock/);
    expect(signal?.aborted).toBe(true);
  });

  it('gives a longer bound to work that asks for one, and its deadline says so', async () => {
    const { env } = home();
    const startedAt = Date.now();
    const call = compose(invocation(env, { startedAt, timeoutMs: 1000 }));
    const context = await call.run(async (given) => given, 9000);
    expect(context.deadline).toBeGreaterThan(startedAt + 8000);
    expect(context.deadline).toBeLessThanOrEqual(startedAt + 9000);
  });

  it("for the kubelet: the kubelet's bound is the work's deadline, and the program is known", async () => {
    const { env } = home();
    const startedAt = Date.now();
    const kubelet = { euid: process.geteuid?.() ?? 0 };
    const call = compose(
      invocation(
        { ...env, ECR_TS_CONFIG: '/nonexistent-ecr-ts/config.json' },
        { startedAt, kubelet, routes: false, program: '/usr/local/bin/x' },
      ),
    );
    expect(call.config.timeoutMs).toBe(45_000);
    const context = await contextOf(call);
    // The deadline the token cache and a throttled API call wait within (fetch-token.ts).
    expect(context.deadline).toBeGreaterThan(startedAt + 44_000);
    expect(context.deadline).toBeLessThanOrEqual(startedAt + 45_000);
    expect(context.program).toBe('/usr/local/bin/x');
    const short = await contextOf(
      compose(invocation({ ...env, ECR_TS_TIMEOUT: '20' }, { startedAt, kubelet, routes: false })),
    );
    expect(short.deadline).toBeLessThanOrEqual(startedAt + 20_000);
  });

  it('within() narrows the bound of the same call: its own deadline, signal and progress', async () => {
    const { env } = home();
    const context = await contextOf(compose(invocation(env)));
    const check = new AbortController();
    const progress = { step: 'checking response' };
    const narrowed = context.within({ deadline: 123, signal: check.signal, progress });
    expect(narrowed.deadline).toBe(123);
    expect(narrowed.signal).toBe(check.signal);
    expect(narrowed.progress).toBe(progress);
    expect(narrowed.config).toBe(context.config);
    expect(narrowed.routes).toBe(context.routes);
    expect(narrowed.tokens).not.toBe(context.tokens);
  });

  it('aborts the work when the caller aborts', async () => {
    const { env } = home();
    const caller = new AbortController();
    const call = compose(invocation(env, { signal: caller.signal }));
    const aborted = call.run(
      (context) =>
        new Promise<boolean>((resolve) =>
          context.signal.addEventListener('abort', () => resolve(true)),
        ),
    );
    caller.abort();
    expect(await aborted).toBe(true);
  });
});
