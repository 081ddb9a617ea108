import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 (random port) serving fixed bytes by path, honouring
 * `Range: bytes=N-` unless told not to, and able to stall a response half-way so a test can cut
 * the connection (or abort) at a known point. Every request is recorded.
 */
export interface ByteServer {
  origin: string;
  url(pathname: string): string;
  requests: { path: string; range: string | undefined }[];
  /** Answer every request with 200 and the whole file, as a server without Range support does. */
  ignoreRange: boolean;
  /** The next GET of `pathname` sends only its first `byteCount` body bytes, then waits. */
  stallNext(pathname: string, byteCount: number): void;
  /** Destroys the connections of stalled responses (the "server dropped us" case). */
  dropStalled(): void;
  close(): Promise<void>;
}

export async function startByteServer(files: Record<string, Buffer>): Promise<ByteServer> {
  const stalls = new Map<string, number>();
  const stalled = new Set<http.ServerResponse>();
  const requests: ByteServer['requests'] = [];

  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    const range = request.headers.range;
    requests.push({ path: pathname, range });
    const body = files[pathname];
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    const start = state.ignoreRange ? 0 : rangeStart(range);
    if (start >= body.length && start > 0) {
      response.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    const headers: http.OutgoingHttpHeaders = { 'Content-Length': body.length - start };
    if (start > 0) headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    response.writeHead(start > 0 ? 206 : 200, headers);
    const stallAt = stalls.get(pathname);
    if (stallAt === undefined) {
      response.end(body.subarray(start));
      return;
    }
    stalls.delete(pathname);
    stalled.add(response);
    response.write(body.subarray(start, start + stallAt));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const state: ByteServer = {
    origin,
    url: (pathname) => `${origin}${pathname}`,
    requests,
    ignoreRange: false,
    stallNext: (pathname, byteCount) => stalls.set(pathname, byteCount),
    dropStalled: () => {
      for (const response of stalled) response.socket?.destroy();
      stalled.clear();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

function rangeStart(range: string | undefined): number {
  const match = /^bytes=(\d+)-$/.exec(range ?? '');
  return match ? Number(match[1]) : 0;
}

/** Deterministic-size random content and its sha256, as a registry would pin it. */
export function generatedFile(bytes: number): { body: Buffer; sha256: string } {
  const body = randomBytes(bytes);
  return { body, sha256: createHash('sha256').update(body).digest('hex') };
}
