/**
 * A real registry (Debian `docker-registry`, distribution 2.8) inside a test's network namespace:
 * TLS with a certificate from the test's CA and htpasswd (bcrypt) auth for one user, listening on
 * 127.0.0.1:443 so an ECR host name mapped to loopback in /etc/netns/NAME/hosts reaches it.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Netns } from '../support/netns';

/** The registry executable the Debian package installs. */
export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** A running registry; `close` stops it (its files live in the caller's folder). */
export interface DockerRegistry {
  /** Everything the registry logged so far (it logs to stderr). */
  log(): string;
  close(): Promise<void>;
}

/** Starts the registry in `netns` and waits until it listens (or fails with its log). */
export async function startDockerRegistry(options: {
  netns: Netns;
  dir: string;
  certPath: string;
  keyPath: string;
  username: string;
  password: string;
}): Promise<DockerRegistry> {
  const { dir } = options;
  mkdirSync(join(dir, 'storage'), { recursive: true });
  // bcrypt, as distribution's htpasswd backend requires.
  const htpasswd = execFileSync('htpasswd', ['-Bbn', options.username, options.password]);
  writeFileSync(join(dir, 'htpasswd'), htpasswd, { mode: 0o600 });
  const configPath = join(dir, 'config.yml');
  writeFileSync(
    configPath,
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      'http:',
      '  addr: 127.0.0.1:443',
      '  tls:',
      `    certificate: ${options.certPath}`,
      `    key: ${options.keyPath}`,
      'auth:',
      '  htpasswd:',
      '    realm: ecr-ts-test',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = options.netns.spawn(REGISTRY_BIN, ['serve', configPath], {
    env: { PATH: '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (/listening on .*443/.test(log)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`docker-registry exited (${code}): ${log}`)));
    child.on('error', reject);
  });
  return {
    log: () => log,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
    },
  };
}
