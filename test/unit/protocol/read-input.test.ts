import { once } from 'node:events';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readFd } from '../../../src/protocol/read-input';
import { tempDir } from '../../support/env';

/**
 * The descriptor of a connected Unix socket: one that cannot be reopened non-blocking through
 * /proc, as when docker's stdin is a socket. Both ends are closed when `use` ends.
 */
async function withSocketFd(use: (fd: number) => Promise<void>): Promise<void> {
  const path = join(tempDir(), 'socket');
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client: Socket = connect(path);
  await once(client, 'connect');
  const [peer] = (await accepted) as [Socket];
  server.close();
  try {
    // No public API gives a socket's descriptor; libuv's handle carries it on every Unix.
    await use((client as unknown as { _handle: { fd: number } })._handle.fd);
  } finally {
    client.destroy();
    peer.destroy();
  }
}

describe('readFd()', () => {
  it('reads a descriptor to EOF', async () => {
    const file = join(tempDir(), 'input');
    writeFileSync(file, `${'x'.repeat(40_000)}\n`);
    const fd = openSync(file, 'r');
    try {
      expect(await readFd(fd)).toBe(`${'x'.repeat(40_000)}\n`);
    } finally {
      closeSync(fd);
    }
  });
  it('refuses more than 64 KiB', async () => {
    const file = join(tempDir(), 'input');
    writeFileSync(file, Buffer.alloc(70 * 1024, 65));
    const fd = openSync(file, 'r');
    try {
      await expect(readFd(fd)).rejects.toThrow(/larger than/);
    } finally {
      closeSync(fd);
    }
  });
  it('reads a closed descriptor as empty input', async () => {
    const fd = openSync(join(tempDir(), 'gone'), 'w');
    closeSync(fd);
    expect(await readFd(fd)).toBe('');
  });
});

describe('readFd() on a socket', () => {
  it('reads the stream it is given instead, joining its chunks', async () => {
    await withSocketFd(async (fd) => {
      const stream = () => Readable.from([Buffer.from('pub'), 'lic.ecr.aws']);
      expect(await readFd(fd, { stream })).toBe('public.ecr.aws');
    });
  });
  it('refuses more than 64 KiB from that stream', async () => {
    await withSocketFd(async (fd) => {
      const stream = () => Readable.from([Buffer.alloc(40 * 1024), Buffer.alloc(30 * 1024)]);
      await expect(readFd(fd, { stream })).rejects.toThrow(/larger than/);
    });
  });
  it('without a stream, refuses rather than read in a way that could block', async () => {
    await withSocketFd(async (fd) => {
      await expect(readFd(fd)).rejects.toThrow('cannot read stdin without blocking');
    });
  });
});
