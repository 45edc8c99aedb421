/**
 * Runs the fake AWS servers (ECR, container credential endpoints, STS) in a separate Node process,
 * optionally inside a network namespace, so they can own fixed addresses there (169.254.170.2:80,
 * AWS host names on :443). The test drives it through JSON lines: faults in, snapshots of issued
 * keys, passwords and requests out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Fault, SeenRequest, ServerTls } from './fake-aws';
import type { Netns } from './netns';
import type { IssuedKey } from './sigv4';
import { tempDir } from './env';

/** Where and how one fake listens (host defaults to 127.0.0.1, port to a free one). */
interface ServerPlace {
  /** The key this server is known by in urls and snapshots. */
  readonly name: string;
  readonly host?: string;
  readonly port?: number;
}

/** One fake server to start in the child process. */
export type FakeServerSpec =
  | (ServerPlace & { readonly kind: 'ecr'; readonly tls?: ServerTls; readonly password?: string })
  | (ServerPlace & { readonly kind: 'credentials'; readonly authorization?: string })
  | (ServerPlace & {
      readonly kind: 'sts';
      readonly tls?: ServerTls;
      readonly expectedToken?: string;
    })
  | (ServerPlace & { readonly kind: 'imds'; readonly role?: string })
  | (ServerPlace & {
      readonly kind: 'secrets-manager';
      /** Secret ARN or name -> its SecretString. */
      readonly secrets: Readonly<Record<string, string>>;
      readonly denied?: readonly string[];
    })
  | (ServerPlace & {
      readonly kind: 'registry';
      readonly tls?: ServerTls;
      readonly username: string;
      readonly password: string;
      readonly images: Readonly<Record<string, readonly string[]>>;
      readonly denied?: readonly string[];
    })
  | (ServerPlace & {
      readonly kind: 'proxy';
      /** Where every CONNECT tunnel really goes, whatever target the client named. */
      readonly forward: { readonly host: string; readonly port: number };
    });

/** What the child process starts: servers sharing one key store, plus static keys it accepts. */
export interface FakesSpec {
  readonly servers: readonly FakeServerSpec[];
  /** Keys the fake ECR accepts without a fake source issuing them (environment keys, profiles). */
  readonly staticKeys?: readonly IssuedKey[];
}

/** What one server has seen and handed out so far. */
export interface FakeServerState {
  readonly url: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** Keys issued (credential endpoints, STS). */
  readonly issued: IssuedKey[];
  /** Registry passwords issued (ECR). */
  readonly passwords: string[];
  /** GetAuthorizationToken calls answered with a token (ECR). */
  readonly tokenCalls: number;
  /** Parsed form fields of each call (STS). */
  readonly calls: Record<string, string>[];
}

/** Everything every fake has seen, as of the snapshot. */
export interface FakesSnapshot {
  readonly servers: Readonly<Record<string, FakeServerState>>;
  /** Every key the fakes accept (issued and static). */
  readonly keys: IssuedKey[];
}

/** A command line on the child's stdin. */
export type FakesCommand =
  | { readonly id: number; readonly op: 'snapshot' }
  | {
      readonly id: number;
      readonly op: 'faults';
      readonly server: string;
      readonly faults?: readonly Fault[];
      readonly defaultFault?: Fault;
    }
  | { readonly id: number; readonly op: 'close' };

/** A line on the child's stdout. */
export type FakesReply =
  | { readonly ready: true; readonly servers: Record<string, { url: string; port: number }> }
  | { readonly ready: false; readonly error: string }
  | { readonly id: number; readonly ok: true; readonly snapshot?: FakesSnapshot }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** The running child process of fakes. */
export interface FakesProcess {
  /** Base URL of the named server (as reachable inside its namespace). */
  url(name: string): string;
  /** Everything the fakes saw so far (all earlier requests are included). */
  snapshot(): Promise<FakesSnapshot>;
  /** Scripts faults for the named server: consumed one per request, then `defaultFault`. */
  setFaults(name: string, faults: readonly Fault[], defaultFault?: Fault): Promise<void>;
  /** Stops every server and the process. Safe to call twice. */
  close(): Promise<void>;
}

type CommandBody = FakesCommand extends infer C
  ? C extends unknown
    ? Omit<C, 'id'>
    : never
  : never;

/** Bundles fake-aws-runner.ts into a fresh temp folder that plain `node` can run (~50 ms). */
async function bundleRunner(): Promise<{ file: string; dir: string }> {
  const { build } = await import('esbuild');
  const dir = tempDir('ecr-ts-fakes-');
  const file = join(dir, 'fake-aws-runner.cjs');
  await build({
    entryPoints: [join(__dirname, 'fake-aws-runner.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: file,
    logLevel: 'warning',
  });
  return { file, dir };
}

/** Starts the fakes in a child process (inside `netns` when given) and waits until they listen. */
export async function startFakesProcess(
  spec: FakesSpec,
  options: { netns?: Netns } = {},
): Promise<FakesProcess> {
  const runner = await bundleRunner();
  const args = [runner.file, JSON.stringify(spec)];
  // No AWS_* variable reaches the fakes either; they need none.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  const child: ChildProcess = options.netns
    ? options.netns.spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const { stdin, stdout } = child;
  if (!stdin || !stdout) throw new Error('fakes process has no stdio pipes');
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const pending = new Map<
    number,
    { resolve: (reply: FakesReply) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let urls: Record<string, { url: string; port: number }> = {};
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  const ready = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    lines.on('line', (line) => {
      const reply = JSON.parse(line) as FakesReply;
      if ('ready' in reply) {
        if (reply.ready) {
          urls = reply.servers;
          resolve();
        } else reject(new Error(`fakes failed to start: ${reply.error}`));
        return;
      }
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      const error = new Error(`fakes process ended (${code ?? signal}): ${stderr.trim()}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });

  const request = (command: CommandBody): Promise<FakesReply> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('fakes process is not running'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      stdin.write(`${JSON.stringify({ ...command, id })}\n`);
    });

  const close = async (): Promise<void> => {
    if (exited) return;
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    try {
      await request({ op: 'close' }).catch(() => undefined);
      await exit;
    } finally {
      clearTimeout(kill);
    }
  };

  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    // Node has read the bundle by the time it listens (or died); nothing needs the file now.
    rmSync(runner.dir, { recursive: true, force: true });
  }
  return {
    url(name) {
      const server = urls[name];
      if (!server) throw new Error(`no fake server named ${name}`);
      return server.url;
    },
    async snapshot() {
      const reply = await request({ op: 'snapshot' });
      if (!('ok' in reply) || !reply.ok || !reply.snapshot) throw new Error('snapshot failed');
      return reply.snapshot;
    },
    async setFaults(name, faults, defaultFault) {
      const reply = await request({
        op: 'faults',
        server: name,
        faults,
        ...(defaultFault ? { defaultFault } : {}),
      });
      if ('ok' in reply && !reply.ok) throw new Error(reply.error);
    },
    close,
  };
}
