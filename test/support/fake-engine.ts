/**
 * A fake Docker Engine on loopback: just enough of the Engine API for the docker CLI, docker-py and
 * dockerode to pull and build. It plays the daemon's part in credential handling: it records the
 * `X-Registry-Auth` / `X-Registry-Config` headers the client sends and, for registries that require
 * a login, refuses a pull with the daemon's own words unless the header carries the right password.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The API version the fake announces; recent enough for every client on this machine. */
export const FAKE_API_VERSION = '1.45';

/** An auth config as the daemon reads it (Go's JSON decoding ignores key case). */
export interface AuthConfig {
  readonly username?: string;
  readonly password?: string;
  readonly serveraddress?: string;
  readonly identitytoken?: string;
  readonly auth?: string;
}

/** One request the fake engine saw. */
export interface EngineRequest {
  readonly method: string;
  /** The path with the `/v1.xx` prefix removed. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Decoded `X-Registry-Auth` (pull, push), undefined when the header was absent. */
  readonly registryAuth?: AuthConfig;
  /** Decoded `X-Registry-Config` (build): registry -> auth config. */
  readonly registryConfig?: Readonly<Record<string, AuthConfig>>;
}

/** Options of the fake engine. */
export interface FakeEngineOptions {
  /** Registry host -> the credentials it accepts; a pull from any other host is anonymous. */
  readonly privateRegistries?: Readonly<Record<string, { username: string; password: string }>>;
  /**
   * Listen on this unix socket instead of 127.0.0.1 (as /var/run/docker.sock is mounted into an
   * ECS task); a socket also reaches clients inside a test's network namespace.
   */
  readonly socketPath?: string;
}

/** A running fake engine. `dockerHost` is the value for DOCKER_HOST. */
export interface FakeEngine {
  readonly dockerHost: string;
  /** The HTTP base URL when listening on TCP (empty on a unix socket). */
  readonly url: string;
  readonly requests: EngineRequest[];
  /** The pulls (`POST /images/create`) seen so far. */
  pulls(): EngineRequest[];
  close(): Promise<void>;
}

/** Decodes a base64url (or base64) JSON header, normalising keys to lower case as Go does. */
export function decodeAuthHeader(value: string): unknown {
  return parseAuthJson(Buffer.from(value, 'base64url').toString('utf8'));
}

/** Parses an auth config JSON text, normalising keys to lower case as Go does. */
export function parseAuthJson(text: string): unknown {
  return lowerKeys(JSON.parse(text));
}

function lowerKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      // Registry names are map keys in X-Registry-Config; only struct fields are case-insensitive.
      /^[A-Za-z]+$/.test(key) ? key.toLowerCase() : key,
      lowerKeys(inner),
    ]),
  );
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The registry host of an image reference, as the daemon resolves it. */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasHost = image.includes('/') && (/[.:]/.test(first) || first === 'localhost');
  return hasHost ? first : 'docker.io';
}

function jsonLines(response: ServerResponse, lines: readonly object[]): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  for (const line of lines) response.write(`${JSON.stringify(line)}\r\n`);
  response.end();
}

function fakeDigest(): string {
  return `sha256:${randomBytes(32).toString('hex')}`;
}

/** Why the daemon would refuse this pull, or undefined when it would succeed. */
function pullRefusal(
  options: FakeEngineOptions,
  image: string,
  auth: AuthConfig | undefined,
): string | undefined {
  const registry = registryOf(image);
  const wanted = options.privateRegistries?.[registry];
  if (!wanted) return undefined;
  const [name = image, tag = 'latest'] = image.slice(registry.length + 1).split(':');
  const where = `Head "https://${registry}/v2/${name}/manifests/${tag}"`;
  if (!auth?.username && !auth?.password) return `${where}: no basic auth credentials`;
  if (auth.username !== wanted.username || auth.password !== wanted.password) {
    return `${where}: unauthorized: authentication required`;
  }
  return undefined;
}

/** Starts the fake engine on 127.0.0.1 (a random port). */
export async function startFakeEngine(options: FakeEngineOptions = {}): Promise<FakeEngine> {
  const requests: EngineRequest[] = [];
  const images = new Map<string, string>();
  const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://engine');
    const path = url.pathname.replace(/^\/v1\.\d+/, '');
    const method = request.method ?? 'GET';
    const auth = header(request, 'x-registry-auth');
    const config = header(request, 'x-registry-config');
    const seen: EngineRequest = {
      method,
      path,
      query: url.searchParams,
      ...(auth ? { registryAuth: decodeAuthHeader(auth) as AuthConfig } : {}),
      ...(config ? { registryConfig: decodeAuthHeader(config) as Record<string, AuthConfig> } : {}),
    };
    requests.push(seen);
    const json = (status: number, value: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (path === '/_ping') {
      response.writeHead(200, {
        'api-version': FAKE_API_VERSION,
        ostype: 'linux',
        'docker-experimental': 'false',
        'builder-version': '1',
        'content-type': 'text/plain',
      });
      response.end(method === 'HEAD' ? undefined : 'OK');
      return;
    }
    if (path === '/version') {
      json(200, {
        Version: '99.0.0-fake',
        ApiVersion: FAKE_API_VERSION,
        MinAPIVersion: '1.24',
        Os: 'linux',
        Arch: 'amd64',
        KernelVersion: 'fake',
        GoVersion: 'go-fake',
        GitCommit: 'fake',
        Components: [{ Name: 'Engine', Version: '99.0.0-fake', Details: {} }],
      });
      return;
    }
    if (method === 'POST' && path === '/images/create') {
      const from = url.searchParams.get('fromImage') ?? '';
      const tag = url.searchParams.get('tag') || 'latest';
      const image = tag.startsWith('sha256:') ? `${from}@${tag}` : `${from}:${tag}`;
      const refusal = pullRefusal(options, image, seen.registryAuth);
      if (refusal) {
        // The daemon answers 200 and reports the failure inside the progress stream.
        jsonLines(response, [{ errorDetail: { message: refusal }, error: refusal }]);
        return;
      }
      const digest = fakeDigest();
      images.set(image, digest);
      jsonLines(response, [
        { status: `Pulling from ${from}`, id: tag },
        { status: 'Pull complete', progressDetail: {}, id: 'aaaaaaaaaaaa' },
        { status: `Digest: ${digest}` },
        { status: `Status: Downloaded newer image for ${image}` },
      ]);
      return;
    }
    const inspect = /^\/images\/(.+)\/json$/.exec(path);
    if (method === 'GET' && inspect?.[1]) {
      const name = decodeURIComponent(inspect[1]);
      const known = images.get(name) ?? images.get(`${name}:latest`);
      if (!known) {
        json(404, { message: `No such image: ${name}` });
        return;
      }
      json(200, { Id: known, RepoTags: [name], RepoDigests: [], Config: {}, Os: 'linux' });
      return;
    }
    if (method === 'POST' && path === '/auth') {
      // `docker login` asks the daemon to check the credentials with the registry first.
      const login = parseAuthJson(body.toString('utf8')) as AuthConfig;
      const registry = (login.serveraddress ?? '').replace(/^https?:\/\//, '').split('/')[0] ?? '';
      const wanted = options.privateRegistries?.[registry];
      if (wanted && login.username === wanted.username && login.password === wanted.password) {
        json(200, { Status: 'Login Succeeded', IdentityToken: '' });
      } else {
        json(401, {
          message: `login to ${registry} failed: unauthorized: incorrect username or password`,
        });
      }
      return;
    }
    if (method === 'POST' && path === '/build') {
      const id = fakeDigest();
      jsonLines(response, [
        { stream: 'Step 1/1 : FROM scratch\n' },
        { aux: { ID: id } },
        { stream: `Successfully built ${id.slice(7, 19)}\n` },
      ]);
      return;
    }
    json(404, { message: `fake engine: no route for ${method} ${path}` });
  };
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    // Read the whole body (login JSON, build contexts) before answering, as the daemon does.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const socketPath = options.socketPath;
  await new Promise<void>((resolve) =>
    socketPath ? server.listen(socketPath, resolve) : server.listen(0, '127.0.0.1', resolve),
  );
  const port = socketPath ? 0 : (server.address() as AddressInfo).port;
  return {
    dockerHost: socketPath ? `unix://${socketPath}` : `tcp://127.0.0.1:${port}`,
    url: socketPath ? '' : `http://127.0.0.1:${port}`,
    requests,
    pulls: () => requests.filter((seen) => seen.path === '/images/create'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
