/**
 * Every hang ends with a reason within the bound: a hung ECR API, credential endpoint or STS, with
 * a small ECR_TS_TIMEOUT for speed and once with the 10 s default. (Split from failures.test.ts so
 * jest's two workers run the waiting in parallel.)
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scrubProcessEnv } from '../support/env';
import { useTempDirs } from '../support/temp-dirs';
import { BOUND_S, expectFailure, useFailureWorld } from './failure-world';

/** A front for `target` that holds every request for `delayMs` before passing it on unchanged. */
async function startSlowFront(
  target: string,
  delayMs: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      setTimeout(() => {
        const forward = request(
          `${target}${incoming.url ?? '/'}`,
          { method: incoming.method, headers: incoming.headers },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forward.on('error', () => outgoing.destroy());
        forward.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

scrubProcessEnv();
const tempDir = useTempDirs();
const setup = useFailureWorld(tempDir);

describe('bounded: hangs end with the reason', () => {
  it('a hung ECR API ends within the bound, naming the endpoint', async () => {
    const w = setup();
    w.ecr.defaultFault = 'hang';
    const line = expectFailure(await w.run({ ECR_TS_TIMEOUT: String(BOUND_S) }), w);
    expect(line).toMatch(/timed out/);
    expect(line).toContain(w.ecr.url);
    expect(line).toContain('ECR_TS_TIMEOUT');
  });

  it('a hung credential endpoint ends within the bound, naming that endpoint', async () => {
    const w = setup();
    w.creds.defaultFault = 'hang';
    const line = expectFailure(await w.run({ ECR_TS_TIMEOUT: String(BOUND_S) }), w);
    expect(line).toBe(
      `timed out after ${BOUND_S} s while waiting for AWS credentials from container credentials endpoint ${w.creds.url} (AWS_CONTAINER_CREDENTIALS_FULL_URI). Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).`,
    );
    expect(w.ecr.requests).toHaveLength(0);
  });

  it('the default bound (no ECR_TS_TIMEOUT) ends a hung ECR API', async () => {
    const w = setup();
    w.ecr.defaultFault = 'hang';
    const line = expectFailure(await w.run(), w);
    expect(line).toMatch(/timed out/);
    expect(line).toContain(w.ecr.url);
  });

  it('a slow but working ECR API (3.5 s per answer) succeeds at the default bound', async () => {
    const w = setup();
    const slow = await startSlowFront(w.ecr.url, 3_500);
    try {
      const result = await w.run({ AWS_ENDPOINT_URL_ECR: slow.url, AWS_ECR_DISABLE_CACHE: '1' });
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(JSON.parse(result.stdout)).toMatchObject({ Secret: w.ecr.passwords[0] });
      // One answer was enough: the first attempt was not cut short and retried.
      expect(w.ecr.requests).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});
