/**
 * Network namespaces for tests (needs root and `ip netns`). A namespace made here has only `lo`,
 * so nothing started inside it can reach any network but its own loopback: a safe place to serve
 * fixed addresses such as the ECS endpoint 169.254.170.2:80, or real AWS host names mapped by
 * `/etc/netns/NAME/hosts` to a local fake.
 */
import {
  execFile,
  execFileSync,
  spawn,
  type ChildProcess,
  type SpawnOptions,
} from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Every namespace this module makes is named `ecrts-<creator pid>-<random>`. */
const PREFIX = 'ecrts-';
const NETNS_ETC = '/etc/netns';
const NETNS_RUN = '/run/netns';

/** Whether namespaces can be used here, and if not, why (for a visible skip message). */
export type NetnsSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What `run` printed and how it ended. */
export interface NetnsRunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A live network namespace; `close` removes it and its /etc/netns folder. */
export interface Netns {
  readonly name: string;
  /** The argv that runs `command args` inside the namespace (for spawn-based helpers). */
  wrap(command: string, args?: readonly string[]): { file: string; args: string[] };
  /** Starts `command` inside the namespace. */
  spawn(command: string, args?: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Runs `command` inside the namespace to completion (no throw on a non-zero exit). */
  run(command: string, args?: readonly string[]): Promise<NetnsRunResult>;
  /** Adds an address (CIDR, e.g. `169.254.170.2/32`) to a device inside (default `lo`). */
  addAddress(cidr: string, device?: string): Promise<void>;
  /**
   * Replaces the namespace's /etc/hosts (host name -> address). `ip netns exec` bind-mounts it when
   * a process starts, so only processes started afterwards see the change.
   */
  setHosts(hosts: Readonly<Record<string, string>>): void;
  /** Deletes the namespace and its /etc/netns folder; safe to call twice. */
  close(): Promise<void>;
}

/** Options of `createNetns`. */
export interface NetnsOptions {
  /** Addresses (CIDR) to add to `lo`, e.g. `['169.254.170.2/32']`. */
  readonly addresses?: readonly string[];
  /** Host name -> address entries of the namespace's /etc/hosts. */
  readonly hosts?: Readonly<Record<string, string>>;
}

/** The `ip` binary by absolute path: a child's clean env may lack /usr/sbin on its PATH. */
export const IP =
  ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path)) ?? 'ip';

let cachedSupport: NetnsSupport | undefined;

/**
 * Checks once per process whether namespaces can be made here (Linux, root, `ip netns`).
 * Synchronous so a test file can choose `it` or `it.skip` (with a printed reason) at load time.
 */
export function netnsSupport(): NetnsSupport {
  cachedSupport ??= ((): NetnsSupport => {
    if (process.platform !== 'linux') return { ok: false, reason: 'not Linux' };
    if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root' };
    try {
      execFileSync(IP, ['netns', 'list'], { stdio: 'ignore' });
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `\`ip netns\` is unavailable (${String(error)})` };
    }
  })();
  return cachedSupport;
}

/** `it` when namespaces work here, else `it.skip` after printing why (never a silent skip). */
export function itWithNetns(what: string): jest.It {
  const support = netnsSupport();
  if (support.ok) return it;
  console.warn(`SKIPPED (${what}): needs a network namespace, but ${support.reason}`);
  return it.skip;
}

const live = new Set<string>();
let exitHookInstalled = false;

/** Creates a uniquely named namespace with `lo` up, the given addresses, hosts and resolv.conf. */
export async function createNetns(options: NetnsOptions = {}): Promise<Netns> {
  sweepStaleNetns();
  const name = `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  const etc = join(NETNS_ETC, name);
  installExitHook();
  await run(IP, ['netns', 'add', name]);
  live.add(name);
  let closed = false;
  const netns: Netns = {
    name,
    wrap: (command, args = []) => ({ file: IP, args: ['netns', 'exec', name, command, ...args] }),
    spawn: (command, args = [], spawnOptions = {}) =>
      spawn(IP, ['netns', 'exec', name, command, ...args], spawnOptions),
    async run(command, args = []) {
      try {
        const { stdout, stderr } = await run(IP, ['netns', 'exec', name, command, ...args]);
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return {
          code: typeof failed.code === 'number' ? failed.code : 1,
          stdout: failed.stdout ?? '',
          stderr: failed.stderr ?? String(error),
        };
      }
    },
    async addAddress(cidr, device = 'lo') {
      await run(IP, ['-n', name, 'addr', 'add', cidr, 'dev', device]);
    },
    setHosts(hosts) {
      mkdirSync(etc, { recursive: true });
      const lines = ['127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback'];
      for (const [host, address] of Object.entries(hosts)) lines.push(`${address} ${host}`);
      writeFileSync(join(etc, 'hosts'), `${lines.join('\n')}\n`);
    },
    async close() {
      if (closed) return;
      closed = true;
      live.delete(name);
      await run(IP, ['netns', 'del', name]).catch(() => undefined);
      rmSync(etc, { recursive: true, force: true });
    },
  };
  try {
    await run(IP, ['-n', name, 'link', 'set', 'lo', 'up']);
    for (const cidr of options.addresses ?? []) await netns.addAddress(cidr);
    mkdirSync(etc, { recursive: true });
    // Names missing from hosts must fail at once, not wait on the host's resolver (unreachable).
    writeFileSync(join(etc, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    netns.setHosts(options.hosts ?? {});
  } catch (error) {
    await netns.close();
    throw error;
  }
  return netns;
}

/** Removes namespaces (and /etc/netns folders) left by test processes that no longer run. */
export function sweepStaleNetns(): void {
  const names = new Set<string>();
  for (const dir of [NETNS_RUN, NETNS_ETC]) {
    try {
      for (const name of readdirSync(dir)) names.add(name);
    } catch {
      // No such folder: nothing left there.
    }
  }
  for (const name of names) {
    const pid = Number(/^ecrts-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    deleteSync(name);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function deleteSync(name: string): void {
  try {
    execFileSync(IP, ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    // Already gone.
  }
  rmSync(join(NETNS_ETC, name), { recursive: true, force: true });
}

/** A test that crashes before `close` must not leave namespaces behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const name of live) deleteSync(name);
  });
}
