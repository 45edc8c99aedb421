/**
 * An endpoint that answers 200 and then streams an endless body (a broken proxy, a hostile
 * AWS_ENDPOINT_URL, a MITM) must not grow the helper's memory: every response it reads is capped
 * at 1 MB, and the call ends at once with one line naming that endpoint.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeCredentialEndpoint, startFakeEcr } from '../support/fake-aws';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';
import { ECR_HOST as HOST } from '../support/registry-host';

scrubProcessEnv();
const tempDir = useTempDirs();
/** The flood stops here (then holds the connection open): a safety net for a helper without a cap. */
const FLOOD_LIMIT_BYTES = 600 * 1024 * 1024;
/** Far above a capped helper's peak (about 100 MB with the SDK loaded), far below an uncapped one. */
const RSS_LIMIT_KB = 300 * 1024;

/** A fake endpoint that answers every request with 200 and then 64 KiB chunks without end. */
async function startFlood(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const chunk = Buffer.from(`{"authorizationData":[{"authorizationToken":"${'A'.repeat(65_536)}`);
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let sent = 0;
    const pump = (): void => {
      while (sent < FLOOD_LIMIT_BYTES && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return;
      }
    };
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n');
      socket.on('drain', pump);
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs `get` under /usr/bin/time; returns the helper's stdout, stderr and peak RSS in KB. */
async function getWithPeakRss(env: Record<string, string>) {
  const result = await runHelper({
    bin: '/usr/bin/time',
    args: ['-f', 'maxrss-kb=%M', HELPER_BIN, 'get'],
    env,
    input: HOST,
    killAfterMs: 30_000,
  });
  const rss = /maxrss-kb=(\d+)/.exec(result.stderr);
  return {
    ...result,
    stderr: result.stderr.replace(
      /(Command exited with non-zero status \d+\n)?maxrss-kb=\d+\n$/,
      '',
    ),
    rssKb: Number(rss?.[1]),
  };
}

describe('an endless response body', () => {
  it('from the ECR API: the call fails at 1 MB, naming the endpoint, with bounded memory', async () => {
    const keys = new KeyStore();
    const creds = await startFakeCredentialEndpoint({ keys });
    const flood = await startFlood();
    try {
      const env = cleanEnv(tempDir(), {
        AWS_ENDPOINT_URL_ECR: flood.url,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/creds`,
        ECR_TS_TIMEOUT: '8',
      });
      const result = await getWithPeakRss(env);
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')).toHaveLength(2);
      expect(result.stdout).toContain(flood.url);
      expect(result.stdout).toContain('larger than 1 MB');
      expect(result.rssKb).toBeLessThan(RSS_LIMIT_KB);
    } finally {
      await flood.close();
      await creds.close();
    }
  });

  it('from the container credential endpoint: the same, naming that endpoint', async () => {
    const ecr = await startFakeEcr({ keys: new KeyStore() });
    const flood = await startFlood();
    try {
      const env = cleanEnv(tempDir(), {
        AWS_ENDPOINT_URL_ECR: ecr.url,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${flood.url}/creds`,
        ECR_TS_TIMEOUT: '8',
      });
      const result = await getWithPeakRss(env);
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')).toHaveLength(2);
      expect(result.stdout).toContain(flood.url);
      expect(result.stdout).toContain('larger than 1 MB');
      expect(result.rssKb).toBeLessThan(RSS_LIMIT_KB);
      expect(ecr.requests).toHaveLength(0);
    } finally {
      await flood.close();
      await ecr.close();
    }
  });
});
