/**
 * An independent SigV4 verifier for the fake AWS servers: recomputes the signature of an incoming
 * request from the secret the fake credential source handed out, so a test fails if the helper
 * signs with any other key.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A key pair a fake credential source issued. */
export interface IssuedKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The outcome of verifying one request. */
export interface Verification {
  readonly ok: boolean;
  readonly reason: string;
  readonly accessKeyId?: string;
  readonly region?: string;
  readonly service?: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Verifies a request's SigV4 Authorization header against the keys issued so far. */
export function verifySigV4(request: {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  keys: ReadonlyMap<string, IssuedKey>;
}): Verification {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return { ok: false, reason: 'no Authorization header' };
  const match = AUTH.exec(header);
  if (!match) return { ok: false, reason: 'malformed Authorization header' };
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature] =
    match;
  const key = request.keys.get(accessKeyId);
  if (!key) return { ok: false, reason: `unknown access key id`, accessKeyId, region, service };
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date)) return { ok: false, reason: 'x-amz-date does not match scope' };
  if (
    key.sessionToken !== undefined &&
    request.headers['x-amz-security-token'] !== key.sessionToken
  ) {
    return { ok: false, reason: 'session token missing or wrong', accessKeyId, region, service };
  }
  const [pathPart = '/', query = ''] = request.path.split('?');
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? sha256(request.body));
  const canonicalRequest = [
    request.method,
    pathPart,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${key.secretAccessKey}`, date), region), service),
    'aws4_request',
  );
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  if (expected !== signature) {
    return { ok: false, reason: 'signature mismatch', accessKeyId, region, service };
  }
  return { ok: true, reason: 'ok', accessKeyId, region, service };
}
