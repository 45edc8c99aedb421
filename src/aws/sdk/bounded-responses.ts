/**
 * A cap on every HTTP response body the helper reads. An endpoint that answers 200 and then
 * streams without end (a hostile AWS_ENDPOINT_URL, a broken proxy) drove the SDK's body collector
 * to 5.2 GB in 5 s. GetAuthorizationToken answers are about 2 KB and credential documents smaller.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** The largest response body read from any endpoint. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Thrown into a response (and its request) that went past MAX_RESPONSE_BYTES. */
class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  readonly code = 'ERESPONSETOOLARGE';
}

let installed = false;

/**
 * Caps, from now on, every response of this process's node:http and node:https requests. The
 * container and instance metadata credential providers build their own handlers or call
 * http.request directly, so no handler or agent option of ours reaches them: the runtime's
 * `http.client.request.start` channel does. Idempotent.
 */
export function boundResponses(): void {
  if (installed) return;
  installed = true;
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    request.once('response', (response: IncomingMessage) => capBody(request, response));
  });
}

/**
 * The whole body of an SDK response, read here rather than by the SDK's deserializer: past the
 * cap the attempt then fails with our error alone (not retried, no "Deserialization error" text),
 * and the cap holds in runtimes without the request channel too.
 */
export async function readBoundedBody(body: Readable, from: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    if (bytes > MAX_RESPONSE_BYTES) {
      body.destroy();
      throw tooLarge(from);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(from: string): ResponseTooLargeError {
  return new ResponseTooLargeError(
    `the response from ${from} is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`,
  );
}

/** Counts the body as the parser pushes it (no listener of ours, so no change to its flow). */
function capBody(request: ClientRequest, response: IncomingMessage): void {
  let bytes = 0;
  const push = response.push.bind(response);
  response.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk !== null && chunk !== undefined) {
      bytes += (chunk as { length: number }).length;
      if (bytes > MAX_RESPONSE_BYTES) {
        response.push = () => false;
        const error = tooLarge(origin(request));
        // Destroying the response destroys its socket: the reader sees this error, and so does
        // the request (where the metadata providers listen).
        response.destroy(error);
        return false;
      }
    }
    return push(chunk, encoding);
  };
}

/** `scheme://host[:port]` of a request: never its path or query (a capability URI, a token). */
function origin(request: ClientRequest): string {
  const scheme = request.protocol || 'http:';
  return `${scheme}//${request.host}${portSuffix(request)}`;
}

function portSuffix(request: ClientRequest): string {
  const host = request.getHeader('host');
  const match = typeof host === 'string' ? /:(\d+)$/.exec(host) : null;
  return match ? `:${match[1]}` : '';
}
