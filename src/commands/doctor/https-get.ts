/**
 * One bounded HTTPS GET through the same agents as the AWS calls (proxy, AWS_CA_BUNDLE), reading
 * at most `maxBytes` of the body: a registry is not trusted to answer briefly, or at all.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAgents } from '../../aws/aws-sdk';

/** What the server answered (the body possibly cut at maxBytes). */
export interface HttpsResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A GET as doctor's registry checks make it; tests pass their own. */
export type HttpsGet = (
  url: string,
  options: { readonly headers: Readonly<Record<string, string>> },
) => Promise<HttpsResponse>;

/** Where a request may go and for how long. */
export interface HttpsGetOptions {
  readonly agents: HttpAgents;
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which the answer must be in. */
  readonly deadline: number;
  readonly maxBytes: number;
}

/** Makes the GET function for one step; an error names its Node `code` where there is one. */
export function createHttpsGet(options: HttpsGetOptions): HttpsGet {
  return async (url, { headers }) => {
    const { request } = await import('node:https');
    return new Promise<HttpsResponse>((resolve, reject) => {
      const req = request(url, {
        method: 'GET',
        headers: { 'user-agent': 'docker-credential-ecr-ts doctor', ...headers },
        signal: options.signal,
        ...(options.agents.httpsAgent ? { agent: options.agents.httpsAgent } : {}),
      });
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })),
        Math.max(1, options.deadline - Date.now()),
      );
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size >= options.maxBytes) return;
          chunks.push(chunk.subarray(0, options.maxBytes - size));
          size += chunk.length;
          // Enough read: the rest is not needed, and may never end.
          if (size >= options.maxBytes) response.destroy();
        });
        const done = (): void => {
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        };
        response.on('end', done);
        response.on('close', done);
        response.on('error', (error) => {
          if (size >= options.maxBytes) return done();
          clearTimeout(timer);
          reject(error);
        });
      });
      req.end();
    });
  };
}
