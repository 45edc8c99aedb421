/**
 * Fake AWS servers on loopback: a container credential endpoint that issues keys, and an ECR /
 * ECR Public API that verifies each request's SigV4 signature against those keys and answers
 * GetAuthorizationToken. Both record every request and can be told to misbehave.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { verifySigV4, type IssuedKey, type Verification } from './sigv4';

/** A scripted misbehaviour for the next request(s). */
export type Fault =
  'ok' | 'access-denied' | 'throttle' | 'server-error' | 'reset' | 'hang' | 'unauthorized';

/** Keys issued by fake credential sources, looked up by the fake APIs. */
export class KeyStore {
  readonly keys = new Map<string, IssuedKey>();

  /** Issues a fresh temporary key (ASIA… id, secret and session token). */
  issue(): IssuedKey {
    const key: IssuedKey = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(20).toString('base64'),
      sessionToken: randomBytes(32).toString('base64'),
    };
    this.keys.set(key.accessKeyId, key);
    return key;
  }

  /** Registers a static key pair (environment keys, credential_process output). */
  add(key: IssuedKey): IssuedKey {
    this.keys.set(key.accessKeyId, key);
    return key;
  }
}

/** One request a fake saw. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly verification?: Verification;
}

/** A running fake server. */
export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** Faults consumed one per request; when empty, `defaultFault` applies. */
  readonly faults: Fault[];
  defaultFault: Fault;
  close(): Promise<void>;
}

/** Scripted faults of one fake: consumed one per request, then `defaultFault`. */
export class FaultScript {
  readonly faults: Fault[] = [];
  defaultFault: Fault = 'ok';

  /** The fault for the request just received. */
  next(): Fault {
    return this.faults.shift() ?? this.defaultFault;
  }
}

/** The FakeServer surface of a listening fake: its address, what it saw, its fault script. */
export function fakeServerHandle(options: {
  readonly url: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  readonly script: FaultScript;
  readonly close: () => Promise<void>;
}): FakeServer {
  const { script } = options;
  return {
    url: options.url,
    port: options.port,
    requests: options.requests,
    faults: script.faults,
    get defaultFault() {
      return script.defaultFault;
    },
    set defaultFault(value: Fault) {
      script.defaultFault = value;
    },
    close: options.close,
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A certificate and key (PEM) to serve HTTPS instead of HTTP. */
export interface ServerTls {
  readonly cert: string;
  readonly key: string;
}

/** Starts an HTTP(S) server that hands each request with its whole body to `handler`. */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse, body: Buffer) => void,
  host = '127.0.0.1',
  port = 0,
  tls?: ServerTls,
): Promise<{ server: Server; port: number }> {
  const sockets = new Set<import('node:net').Socket>();
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    readBody(request).then(
      (body) => handler(request, response, body),
      () => response.destroy(),
    );
  };
  // https.Server extends tls.Server, not http.Server; both offer what callers use here.
  const server = (tls ? createTlsServer(tls, onRequest) : createServer(onRequest)) as Server;
  // The raw socket, also under TLS: destroying it cuts a connection in any state.
  server.on('connection', (socket: import('node:net').Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  (server as Server & { sockets?: Set<import('node:net').Socket> }).sockets = sockets;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Closes a server made by `listen`, cutting open (e.g. hung) connections. */
export function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const sockets = (server as Server & { sockets?: Set<import('node:net').Socket> }).sockets;
      for (const socket of sockets ?? []) socket.destroy();
      server.close(() => resolve());
    });
}

/** One request as a fake's handler sees it. */
export interface FakeExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly body: Buffer;
  /** The scripted fault of this request (`reset` and `hang` never reach the handler). */
  readonly fault: Fault;
  /** Checks the SigV4 signature against the fake's keys, and records the verdict with the request. */
  verify(): Verification;
}

/**
 * Starts a fake on `listen`: records every request, takes one fault per request from its script
 * (a `reset` cuts the connection, a `hang` never answers), and hands the rest to `handle`.
 */
export async function startFake(
  options: {
    readonly keys?: KeyStore;
    readonly host?: string;
    readonly port?: number;
    readonly tls?: ServerTls;
    /** Headers left out of the record (a password tests must not snapshot). */
    readonly unrecorded?: readonly string[];
  },
  handle: (exchange: FakeExchange) => void,
): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const script = new FaultScript();
  const { server, port } = await listen(
    (request, response, body) => {
      const index =
        requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          host: request.headers.host ?? '',
          headers: Object.fromEntries(
            Object.entries(request.headers).filter(([name]) => !options.unrecorded?.includes(name)),
          ),
          body: body.toString(),
        }) - 1;
      const fault = script.next();
      if (fault === 'reset') return void response.socket?.destroy();
      if (fault === 'hang') return;
      const verify = (): Verification => {
        const verification = verifySigV4({
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: request.headers,
          body,
          keys: options.keys?.keys ?? new Map(),
        });
        requests[index] = { ...(requests[index] as SeenRequest), verification };
        return verification;
      };
      handle({ request, response, body, fault, verify });
    },
    options.host,
    options.port,
    options.tls,
  );
  const host = options.host ?? '127.0.0.1';
  return fakeServerHandle({
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    requests,
    script,
    close: closer(server),
  });
}

/** Answers in the AWS JSON 1.1 protocol; `type` is the error type header of a failure. */
export function awsJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  type?: string,
): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    ...(type ? { 'x-amzn-errortype': type } : {}),
  });
  response.end(JSON.stringify(value));
}

/** Options of the fake ECR API. */
export interface FakeEcrOptions {
  readonly keys: KeyStore;
  /** The registry password issued (default: random). */
  readonly password?: string;
  /** Token lifetime in seconds (default 12 h). */
  readonly lifetimeSeconds?: number;
  readonly host?: string;
  readonly port?: number;
  /** Serve HTTPS with this certificate (e.g. real AWS host names mapped to loopback). */
  readonly tls?: ServerTls;
  /** Throttle GetAuthorizationToken as ECR does, with this token bucket (see TokenBucket). */
  readonly bucket?: BucketShape;
}

/** A token bucket's shape: ECR's GetAuthorizationToken bucket is 200 calls and 20 a second. */
export interface BucketShape {
  readonly capacity: number;
  readonly perSecond: number;
}

/**
 * ECR's per-account throttle: full at the start, each answered call takes one credit, credits
 * come back at `perSecond` up to `capacity`; a call that finds no credit is throttled and takes
 * nothing.
 */
export class TokenBucket {
  private credits: number;
  private last: number;

  constructor(
    private readonly shape: BucketShape,
    private readonly now: () => number = Date.now,
  ) {
    this.credits = shape.capacity;
    this.last = now();
  }

  /** Takes a credit if there is one. */
  take(): boolean {
    const at = this.now();
    const refill = ((at - this.last) / 1000) * this.shape.perSecond;
    this.credits = Math.min(this.shape.capacity, this.credits + refill);
    this.last = at;
    if (this.credits < 1) return false;
    this.credits -= 1;
    return true;
  }
}

/** A fake ECR + ECR Public JSON API. `passwords` lists every password it issued. */
export interface FakeEcr extends FakeServer {
  readonly passwords: string[];
  /** Requests whose signature verified and that were answered with a token. */
  tokenCalls(): number;
  /** Requests that were answered ThrottlingException (scripted or by the bucket). */
  throttledCalls(): number;
  /** Epoch ms of the first request that was not cut or left hanging, if any. */
  firstRequestAt(): number | undefined;
}

/** Starts a fake ECR API (private and public targets) on loopback. */
export async function startFakeEcr(options: FakeEcrOptions): Promise<FakeEcr> {
  const passwords: string[] = [];
  let issued = 0;
  let throttled = 0;
  let firstAt: number | undefined;
  const bucket = options.bucket ? new TokenBucket(options.bucket) : undefined;
  const fake = await startFake(options, ({ request, response, fault, verify }) => {
    firstAt ??= Date.now();
    const verification = verify();
    const target = String(request.headers['x-amz-target'] ?? '');
    const json = (status: number, value: unknown, type?: string): void =>
      awsJson(response, status, value, type);
    if (!verification.ok) {
      json(
        403,
        {
          __type: 'UnrecognizedClientException',
          message: `The security token included in the request is invalid (${verification.reason}).`,
        },
        'UnrecognizedClientException',
      );
      return;
    }
    if (fault === 'access-denied') {
      const action = target.startsWith('SpencerFrontendService') ? 'ecr-public' : 'ecr';
      json(
        400,
        {
          __type: 'AccessDeniedException',
          message: `User: arn:aws:sts::123456789012:assumed-role/test-role/session is not authorized to perform: ${action}:GetAuthorizationToken on resource: * because no identity-based policy allows the ${action}:GetAuthorizationToken action`,
        },
        'AccessDeniedException',
      );
      return;
    }
    // The bucket is ECR's own check: only a signed, allowed call reaches it.
    if (fault === 'throttle' || (fault === 'ok' && bucket && !bucket.take())) {
      throttled += 1;
      json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'ThrottlingException');
      return;
    }
    if (fault === 'server-error') {
      json(500, { __type: 'ServerException', message: 'internal failure' }, 'ServerException');
      return;
    }
    const password = options.password ?? `pw-${randomBytes(24).toString('base64url')}`;
    passwords.push(password);
    issued += 1;
    const authorizationToken = Buffer.from(`AWS:${password}`).toString('base64');
    const expiresAt = Date.now() / 1000 + (options.lifetimeSeconds ?? 12 * 3600);
    if (target === 'SpencerFrontendService.GetAuthorizationToken') {
      json(200, { authorizationData: { authorizationToken, expiresAt } });
      return;
    }
    if (target === 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken') {
      const region = verification.region ?? 'us-east-1';
      json(200, {
        authorizationData: [
          {
            authorizationToken,
            expiresAt,
            proxyEndpoint: `https://123456789012.dkr.ecr.${region}.amazonaws.com`,
          },
        ],
      });
      return;
    }
    json(400, { __type: 'UnknownOperationException', message: `unknown target ${target}` });
  });
  return Object.assign(fake, {
    passwords,
    tokenCalls: () => issued,
    throttledCalls: () => throttled,
    firstRequestAt: () => firstAt,
  });
}

/** Options of the fake container credential endpoint (ECS relative URI, EKS Pod Identity). */
export interface FakeCredentialEndpointOptions {
  readonly keys: KeyStore;
  /** Require this exact Authorization header value (EKS Pod Identity token). */
  readonly authorization?: string;
  readonly host?: string;
  readonly port?: number;
}

/** The fake credential endpoint; `issued` lists the keys it handed out. */
export interface FakeCredentialEndpoint extends FakeServer {
  readonly issued: IssuedKey[];
}

/** Starts a fake container credential endpoint answering any path with fresh temporary keys. */
export async function startFakeCredentialEndpoint(
  options: FakeCredentialEndpointOptions,
): Promise<FakeCredentialEndpoint> {
  const issued: IssuedKey[] = [];
  const fake = await startFake(options, ({ request, response, fault }) => {
    if (
      fault === 'unauthorized' ||
      (options.authorization !== undefined &&
        request.headers.authorization !== options.authorization)
    ) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'AccessDeniedException', message: 'bad token' }));
      return;
    }
    if (fault === 'server-error') {
      response.writeHead(500);
      response.end('{}');
      return;
    }
    const key = options.keys.issue();
    issued.push(key);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        AccessKeyId: key.accessKeyId,
        SecretAccessKey: key.secretAccessKey,
        Token: key.sessionToken,
        Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
        RoleArn: 'arn:aws:iam::123456789012:role/test-task-role',
      }),
    );
  });
  return Object.assign(fake, { issued });
}
