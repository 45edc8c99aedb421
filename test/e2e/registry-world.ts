/**
 * The world the containers/image clients (skopeo, podman, buildah) run in for the e2e tests: a real
 * `docker-registry` (htpasswd login, TLS from a test CA) under `host`, inside a network namespace
 * with only loopback where `host` resolves to it, and a HOME whose PATH finds the recording helper
 * under the helper's name. What each test adds (its auth file, the fake AWS APIs) stays with it.
 * Everything is closed and removed after the file that started it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferCleanup } from '../support/cleanup';
import { cleanEnv, tempDir } from '../support/env';
import { createNetns, netnsSupport, type Netns } from '../support/netns';
import { createTestCa, type TestCa } from '../support/tls';
import { REGISTRY_BIN, startDockerRegistry, type DockerRegistry } from './docker-registry';
import { haveTool, missingPeer } from './find-tool';
import { installRecordingHelper } from './recording-helper';

export interface RegistryWorld {
  readonly dir: string;
  readonly netns: Netns;
  /** The CA the registry's certificate comes from (Node clients trust `ca.certPath`). */
  readonly ca: TestCa;
  readonly registry: DockerRegistry;
  /** HOME: the recording helper is in `<home>/bin`. */
  readonly home: string;
  /** Holds the CA as `ca.crt`: what `--cert-dir` and `--dest-cert-dir` take. */
  readonly certDir: string;
  /** A signature policy that accepts any image. */
  readonly policy: string;
  /** Where the recording helper writes each call (readHelperCalls). */
  readonly recordDir: string;
  /** cleanEnv(home) with the recording helper's folder first on PATH. */
  readonly env: Record<string, string>;
}

/**
 * Whether this machine can start a registry world: a network namespace, docker-registry, htpasswd
 * and openssl (for the test CA). When not, says what `suite` misses (missingPeer: a skip, or a
 * failure where CI requires the peers).
 */
export function canStartRegistryWorld(suite: string): boolean {
  const netns = netnsSupport();
  if (!netns.ok) return missingPeer(`${suite} needs a network namespace, but ${netns.reason}`);
  return (
    haveTool('docker-registry', [REGISTRY_BIN, '--version']) &&
    haveTool('htpasswd (apache2-utils)', ['htpasswd', '-nbB', 'probe', 'probe']) &&
    haveTool('openssl', ['openssl', 'version'])
  );
}

export async function startRegistryWorld(options: {
  /** The temp folder's prefix. */
  prefix: string;
  host: string;
  username: string;
  password: string;
}): Promise<RegistryWorld> {
  const dir = tempDir(options.prefix);
  const netns = await createNetns({ hosts: { [options.host]: '127.0.0.1' } });
  deferCleanup(() => netns.close());
  const ca = await createTestCa();
  deferCleanup(() => ca.cleanup());
  const leaf = await ca.issue({ dns: [options.host] });
  // Clients of containers/image trust a registry's CA from `<cert dir>/ca.crt`: no change to the
  // system trust store.
  const certDir = join(dir, 'certs');
  mkdirSync(certDir, { recursive: true });
  writeFileSync(join(certDir, 'ca.crt'), ca.cert);
  const policy = join(dir, 'policy.json');
  writeFileSync(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  const registry = await startDockerRegistry({
    netns,
    dir: join(dir, 'registry'),
    certPath: leaf.certPath,
    keyPath: leaf.keyPath,
    username: options.username,
    password: options.password,
  });
  deferCleanup(() => registry.close());
  const home = join(dir, 'home');
  const bin = join(home, 'bin');
  const recordDir = join(dir, 'helper-calls');
  installRecordingHelper(bin, recordDir);
  const base = cleanEnv(home);
  const env = { ...base, PATH: `${bin}:${base['PATH'] ?? '/usr/bin:/bin'}` };
  return { dir, netns, ca, registry, home, certDir, policy, recordDir, env };
}
