import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { EcrToken, TokenSource } from '../../../src/aws/token';
import { createCachedTokenSource } from '../../../src/cache/cached-token-source';
import { HelperError } from '../../../src/errors';
import { createLogger } from '../../../src/log';
import { parseRegistry, type EcrRegistry } from '../../../src/registry/parse-registry';
import { tempDir } from '../../support/env';
import { ECR_HOST } from '../../support/registry-host';

const HOUR = 3600_000;
const T0 = Date.UTC(2026, 0, 1);
const registry = parseRegistry(ECR_HOST) as EcrRegistry;
const sibling = parseRegistry('210987654321.dkr.ecr.eu-west-1.amazonaws.com') as EcrRegistry;

/** A hand-written fake API: hands out pw-1, pw-2, ... or throws what it is told to. */
function fakeApi(clock: { now: number }) {
  const api = {
    calls: 0,
    secretCalls: 0,
    failWith: undefined as Error | undefined,
    /** What each getToken call said about a token to fall back on. */
    fallbacks: [] as boolean[],
    source: {
      getToken: async (
        _registry: unknown,
        _identity?: unknown,
        options?: { readonly hasFallback?: boolean },
      ): Promise<EcrToken> => {
        api.calls += 1;
        api.fallbacks.push(options?.hasFallback === true);
        if (api.failWith) throw api.failWith;
        return { username: 'AWS', password: `pw-${api.calls}`, expiresAt: clock.now + 12 * HOUR };
      },
      getSecret: async (): Promise<EcrToken> => {
        api.secretCalls += 1;
        if (api.failWith) throw api.failWith;
        return {
          username: 'bot',
          password: `secret-${api.secretCalls}`,
          expiresAt: clock.now + 900_000,
        };
      },
      listKnown: async () => ({}),
    } satisfies TokenSource,
  };
  return api;
}

/**
 * A cache over a fake API in a temp HOME (removed after the test). `waiting` resolves when a call
 * announces that it waits for another process's lock: the event the lock tests sequence on.
 */
function fixture(env: Record<string, string> = { AWS_PROFILE: 'dev' }, random = () => 0) {
  const home = tempDir('ecr-ts-unit-cache-');
  const dir = join(home, 'cache');
  const clock = { now: T0 };
  const api = fakeApi(clock);
  const lines: string[] = [];
  const controller = new AbortController();
  let announceWaiting: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (announceWaiting = resolve));
  let step = '';
  const progress = {
    get step() {
      return step;
    },
    set step(value: string) {
      step = value;
      if (value.startsWith('waiting for another')) announceWaiting();
    },
  };
  const make = (sourceEnv = env) =>
    createCachedTokenSource({
      context: {
        env: sourceEnv,
        logger: createLogger({ level: 'warn', write: (line) => lines.push(line) }),
        signal: controller.signal,
        deadline: clock.now + 10_000,
        progress,
      },
      dir,
      source: api.source,
      home,
      now: () => clock.now,
      timeoutMs: 10_000,
      random,
    });
  return { home, dir, clock, api, lines, controller, waiting, make };
}

describe('createCachedTokenSource()', () => {
  it('fetches on a miss, then answers from the file until half life', async () => {
    const fx = fixture();
    expect((await fx.make().getToken(registry)).password).toBe('pw-1');
    fx.clock.now = T0 + 6 * HOUR - 1;
    expect((await fx.make().getToken(registry)).password).toBe('pw-1');
    expect(fx.api.calls).toBe(1);
    expect(fx.lines).toEqual([]);
  });

  it('refreshes earlier by the random share its entry drew, down to a quarter of the life', async () => {
    const fx = fixture(undefined, () => 1);
    await fx.make().getToken(registry);
    fx.clock.now = T0 + 3 * HOUR - 1;
    expect((await fx.make().getToken(registry)).password).toBe('pw-1');
    fx.clock.now = T0 + 3 * HOUR;
    expect((await fx.make().getToken(registry)).password).toBe('pw-2');
    expect(fx.api.calls).toBe(2);
  });

  it('refreshes at half life and serves the new token', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    fx.clock.now = T0 + 6 * HOUR;
    expect((await fx.make().getToken(registry)).password).toBe('pw-2');
    expect((await fx.make().getToken(registry)).password).toBe('pw-2');
    expect(fx.api.calls).toBe(2);
  });

  it('keeps serving a past-half-life token when its refresh is throttled', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    fx.clock.now = T0 + 8 * HOUR;
    fx.api.failWith = new HelperError('THROTTLED', 'throttled');
    expect((await fx.make().getToken(registry)).password).toBe('pw-1');
    expect(fx.api.calls).toBe(2);
  });

  it('tells the API source when a stale token can answer (it then need not wait out throttling)', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    fx.clock.now = T0 + 8 * HOUR;
    await fx.make().getToken(registry);
    fx.clock.now = T0 + 20 * HOUR + 12 * HOUR;
    await fx.make().getToken(registry);
    // A miss, a refresh of a stale token, a refresh of an expired one.
    expect(fx.api.fallbacks).toEqual([false, true, false]);
  });

  it('never hands out an expired token, even when the refresh fails', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    fx.clock.now = T0 + 12 * HOUR;
    fx.api.failWith = new HelperError('THROTTLED', 'throttled');
    await expect(fx.make().getToken(registry)).rejects.toMatchObject({ code: 'THROTTLED' });
  });

  it.each(['ACCESS_DENIED', 'AWS_CREDENTIALS', 'NO_AWS_CREDENTIALS'] as const)(
    'surfaces %s from a refresh instead of serving the old token',
    async (code) => {
      const fx = fixture();
      await fx.make().getToken(registry);
      fx.clock.now = T0 + 8 * HOUR;
      fx.api.failWith = new HelperError(code, 'denied');
      await expect(fx.make().getToken(registry)).rejects.toMatchObject({ code });
    },
  );

  it('does not paper over a timeout with the old token', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    fx.clock.now = T0 + 8 * HOUR;
    fx.api.failWith = new HelperError('TIMEOUT', 'timed out');
    await expect(fx.make().getToken(registry)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('serves a past-half-life token at once while another process holds the lock', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    const [file = ''] = readdirSync(fx.dir);
    mkdirSync(join(fx.dir, `${file}.lock`)); // a live holder: fresh mtime
    fx.clock.now = T0 + 7 * HOUR;
    expect((await fx.make().getToken(registry)).password).toBe('pw-1');
    expect(fx.api.calls).toBe(1);
  });

  it('on a cold miss waits for the lock holder and answers what it wrote', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    const [file = ''] = readdirSync(fx.dir);
    const path = join(fx.dir, file);
    const written = readFileSync(path, 'utf8');
    rmSync(path);
    mkdirSync(`${path}.lock`); // another process holds the lock and has written nothing yet
    const order: string[] = [];
    const answer = fx
      .make()
      .getToken(registry)
      .then((token) => {
        order.push('answered');
        return token;
      });
    // Either it announces that it waits for the holder, or (a bug) it answers without waiting.
    await Promise.race([fx.waiting.then(() => order.push('waiting')), answer]);
    // The holder finishes as the helper does: a temp file renamed over the entry.
    writeFileSync(`${path}.tmp`, written.replace('pw-1', 'pw-other'));
    renameSync(`${path}.tmp`, path);
    order.push('written');
    expect((await answer).password).toBe('pw-other');
    expect(order).toEqual(['waiting', 'written', 'answered']);
    expect(fx.api.calls).toBe(1);
  });

  it('gives up waiting when the call is aborted (its bound), naming the lock', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    const [file = ''] = readdirSync(fx.dir);
    rmSync(join(fx.dir, file));
    mkdirSync(join(fx.dir, `${file}.lock`));
    const answer = fx.make().getToken(registry);
    await Promise.race([fx.waiting, answer]);
    fx.controller.abort();
    await expect(answer).rejects.toThrow(/\.lock/);
    expect(fx.api.calls).toBe(1);
  });

  it('prunes expired entries when it writes', async () => {
    const fx = fixture();
    await fx.make({ AWS_PROFILE: 'old' }).getToken(registry);
    expect(readdirSync(fx.dir)).toHaveLength(1);
    fx.clock.now = T0 + 13 * HOUR;
    await fx.make().getToken(registry);
    expect(readdirSync(fx.dir)).toHaveLength(1);
    expect(readFileSync(join(fx.dir, readdirSync(fx.dir)[0] ?? ''), 'utf8')).toContain('pw-2');
  });

  it('keeps the tokens of two routes apart: a profile or role is part of the identity', async () => {
    const fx = fixture();
    const role = { roleArn: 'arn:aws:iam::210987654321:role/puller', externalId: 'x1' };
    expect((await fx.make().getToken(registry)).password).toBe('pw-1');
    expect((await fx.make().getToken(registry, { profile: 'prod' })).password).toBe('pw-2');
    expect((await fx.make().getToken(registry, role)).password).toBe('pw-3');
    expect((await fx.make().getToken(registry, { ...role, externalId: 'x2' })).password).toBe(
      'pw-4',
    );
    // Each answers from its own file afterwards; the default route's is unchanged.
    expect((await fx.make().getToken(registry, role)).password).toBe('pw-3');
    expect((await fx.make().getToken(registry, { profile: 'prod' })).password).toBe('pw-2');
    expect((await fx.make().getToken(registry, {})).password).toBe('pw-1');
    expect(fx.api.calls).toBe(4);
    expect(readdirSync(fx.dir)).toHaveLength(4);
    // list shows the identities it is asked about.
    expect(await fx.make().listKnown()).toEqual({ [registry.host]: 'AWS' });
    await fx.make().getToken(sibling, role);
    expect(await fx.make().listKnown([role])).toEqual({
      [registry.host]: 'AWS',
      [sibling.host]: 'AWS',
    });
  });

  it('caches a Secrets Manager login for at most its cacheSeconds, and never lists it', async () => {
    const fx = fixture();
    const request = { host: 'ghcr.io', secretId: 'ghcr', identity: {}, cacheSeconds: 900 };
    expect((await fx.make().getSecret(request)).password).toBe('secret-1');
    fx.clock.now = T0 + 449_000;
    expect((await fx.make().getSecret(request)).password).toBe('secret-1');
    // Past half of cacheSeconds it is read again, so a rotated secret is picked up.
    fx.clock.now = T0 + 450_000;
    expect((await fx.make().getSecret(request)).password).toBe('secret-2');
    expect(fx.api.secretCalls).toBe(2);
    // Another secret, or another cacheSeconds, is another entry.
    await fx.make().getSecret({ ...request, secretId: 'other' });
    expect(fx.api.secretCalls).toBe(3);
    expect(await fx.make().listKnown()).toEqual({});
  });

  it('never caches a Secrets Manager login with cacheSeconds 0', async () => {
    const fx = fixture();
    const request = { host: 'ghcr.io', secretId: 'ghcr', identity: {}, cacheSeconds: 0 };
    await fx.make().getSecret(request);
    await fx.make().getSecret(request);
    expect(fx.api.secretCalls).toBe(2);
    expect(existsSync(fx.dir) ? readdirSync(fx.dir) : []).toEqual([]);
  });

  it('lists live hosts of the current identity only', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    await fx.make().getToken(sibling); // same token, another host to list
    await fx
      .make({ AWS_PROFILE: 'someone-else' })
      .getToken(parseRegistry('public.ecr.aws') as never);
    expect(fx.api.calls).toBe(2);
    expect(await fx.make().listKnown()).toEqual({ [registry.host]: 'AWS', [sibling.host]: 'AWS' });
    fx.clock.now = T0 + 12 * HOUR;
    expect(await fx.make().listKnown()).toEqual({});
  });

  it('warns once for a corrupt file, even though it reads it twice (before and under the lock)', async () => {
    const fx = fixture();
    await fx.make().getToken(registry);
    const [file = ''] = readdirSync(fx.dir);
    writeFileSync(join(fx.dir, file), '{"version":1,');
    expect((await fx.make().getToken(registry)).password).toBe('pw-2');
    expect(fx.lines).toHaveLength(1);
    expect(fx.lines[0]).toMatch(/warn: ignoring the token cache file .*corrupt or truncated/);
    expect(existsSync(join(fx.dir, `${file}.lock`))).toBe(false);
  });
});
