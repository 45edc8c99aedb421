/**
 * A fake HTTPS proxy: answers CONNECT, records the target the client asked for (and its
 * Proxy-Authorization), and tunnels every connection to one fixed local address instead of the
 * target, so nothing behind it is ever reached on the real network.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { FaultScript, fakeServerHandle, type FakeServer, type SeenRequest } from './fake-aws';

/** Options of the fake proxy. */
export interface FakeProxyOptions {
  /** Where every tunnel really goes (e.g. a TLS fake ECR on loopback). */
  readonly forward: { readonly host: string; readonly port: number };
  readonly host?: string;
  readonly port?: number;
}

/** The fake proxy; each CONNECT is a request with method CONNECT and path `host:port`. */
export type FakeProxy = FakeServer;

/** Starts the fake proxy. Faults: `reset` drops the client, `hang` never answers the CONNECT. */
export async function startFakeProxy(options: FakeProxyOptions): Promise<FakeProxy> {
  const requests: SeenRequest[] = [];
  const script = new FaultScript();
  const sockets = new Set<Socket>();
  const server = createServer((_request, response) => {
    // Only tunnelling is faked; a plain proxied request is a test bug.
    response.writeHead(502);
    response.end('this fake proxy only tunnels (CONNECT)');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      host: request.headers.host ?? '',
      headers: request.headers,
      body: '',
    });
    const fault = script.next();
    if (fault === 'reset') return void client.destroy();
    if (fault === 'hang') return;
    const upstream = connect(options.forward.port, options.forward.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return fakeServerHandle({
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}
