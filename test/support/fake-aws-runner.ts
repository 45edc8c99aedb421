/**
 * The child-process entry of fake-aws-process.ts: starts the fakes named in argv[2] (JSON), prints
 * one `ready` line, then answers JSON-line commands on stdin (snapshot, faults, close). Bundled on
 * the fly with esbuild so it can run under `ip netns exec` with plain `node`.
 */
import { createInterface } from 'node:readline';
import { KeyStore, startFakeCredentialEndpoint, startFakeEcr, type FakeServer } from './fake-aws';
import type { FakesCommand, FakesReply, FakesSpec, FakeServerState } from './fake-aws-process';
import { startFakeImds } from './fake-imds';
import { startFakeProxy } from './fake-proxy';
import { startFakeRegistry } from './fake-registry';
import { startFakeSecretsManager } from './fake-secrets-manager';
import { startFakeSts } from './fake-sts';

type Running = FakeServer & {
  readonly passwords?: string[];
  readonly issued?: unknown[];
  readonly calls?: unknown[];
  tokenCalls?(): number;
};

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as FakesSpec;
  const keys = new KeyStore();
  for (const key of spec.staticKeys ?? []) keys.add(key);
  const running = new Map<string, Running>();
  const send = (reply: FakesReply): void => {
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  };
  try {
    for (const server of spec.servers) {
      const common = {
        keys,
        ...(server.host !== undefined ? { host: server.host } : {}),
        ...(server.port !== undefined ? { port: server.port } : {}),
      };
      if (server.kind === 'ecr') {
        running.set(
          server.name,
          await startFakeEcr({
            ...common,
            ...(server.tls ? { tls: server.tls } : {}),
            ...(server.password !== undefined ? { password: server.password } : {}),
          }),
        );
      } else if (server.kind === 'credentials') {
        running.set(
          server.name,
          await startFakeCredentialEndpoint({
            ...common,
            ...(server.authorization !== undefined ? { authorization: server.authorization } : {}),
          }),
        );
      } else if (server.kind === 'imds') {
        running.set(
          server.name,
          await startFakeImds({ ...common, ...(server.role ? { role: server.role } : {}) }),
        );
      } else if (server.kind === 'secrets-manager') {
        running.set(
          server.name,
          await startFakeSecretsManager({
            ...common,
            secrets: server.secrets,
            ...(server.denied ? { denied: server.denied } : {}),
          }),
        );
      } else if (server.kind === 'registry') {
        running.set(
          server.name,
          await startFakeRegistry({
            ...common,
            username: server.username,
            password: server.password,
            images: server.images,
            ...(server.denied ? { denied: server.denied } : {}),
            ...(server.tls ? { tls: server.tls } : {}),
          }),
        );
      } else if (server.kind === 'proxy') {
        running.set(server.name, await startFakeProxy({ ...common, forward: server.forward }));
      } else {
        running.set(
          server.name,
          await startFakeSts({
            ...common,
            ...(server.tls ? { tls: server.tls } : {}),
            ...(server.expectedToken !== undefined ? { expectedToken: server.expectedToken } : {}),
          }),
        );
      }
    }
  } catch (error) {
    send({ ready: false, error: String(error) });
    process.exit(1);
  }
  const urls = Object.fromEntries(
    [...running].map(([name, server]) => [name, { url: server.url, port: server.port }]),
  );
  send({ ready: true, servers: urls });

  const closeAll = async (): Promise<void> => {
    await Promise.all([...running.values()].map((server) => server.close()));
  };
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as FakesCommand;
    if (command.op === 'snapshot') {
      const servers: Record<string, FakeServerState> = {};
      for (const [name, server] of running) {
        servers[name] = {
          url: server.url,
          port: server.port,
          requests: server.requests,
          issued: (server.issued ?? []) as FakeServerState['issued'],
          passwords: server.passwords ?? [],
          tokenCalls: server.tokenCalls?.() ?? 0,
          calls: (server.calls ?? []) as FakeServerState['calls'],
        };
      }
      send({ id: command.id, ok: true, snapshot: { servers, keys: [...keys.keys.values()] } });
    } else if (command.op === 'faults') {
      const server = running.get(command.server);
      if (!server) return send({ id: command.id, ok: false, error: `no server ${command.server}` });
      server.faults.splice(0, server.faults.length, ...(command.faults ?? []));
      if (command.defaultFault) server.defaultFault = command.defaultFault;
      send({ id: command.id, ok: true });
    } else {
      void closeAll().then(() => {
        send({ id: command.id, ok: true });
        process.exit(0);
      });
    }
  });
  // The parent died or closed our stdin: never outlive it (a stray server would keep the netns).
  lines.on('close', () => void closeAll().then(() => process.exit(0)));
}

void main();
