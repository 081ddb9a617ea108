import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchWebImage, PUBLIC_HTTPS } from '../../src-main/electron/web-image';
import type { WebImagePolicy } from '../../src-main/electron/web-image';

/** A local web server that records what it was asked (a real socket, a real HTTP exchange). */
interface TestServer {
  port: number;
  requests: string[];
  /** Bytes the server managed to write before the client hung up. */
  sent: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(
  handle: (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    server: TestServer,
  ) => void,
): Promise<TestServer> {
  const state: TestServer = { port: 0, requests: [], sent: 0, close: () => Promise.resolve() };
  const server = http.createServer((request, response) => {
    state.requests.push(request.url ?? '');
    handle(request, response, state);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push(state);
  return state;
}

/** Plain http to ONE loopback port: the tests' own server, and nothing else on this machine. */
function onlyPort(port: number): WebImagePolicy {
  return {
    protocols: ['http:'],
    allowAddress: (address, toPort) => address === '127.0.0.1' && toPort === port,
  };
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the download to be refused');
}

describe('fetching a dropped web image in main', () => {
  it('downloads an image and reports progress up to its size', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
      response.end(PNG);
    });
    const progress: { received: number; total: number | null }[] = [];
    const image = await fetchWebImage(`http://127.0.0.1:${server.port}/photos/red%20fox.png`, {
      policy: onlyPort(server.port),
      onProgress: (update) => progress.push(update),
    });
    expect(Buffer.from(image.bytes).equals(PNG)).toBe(true);
    expect(image.name).toBe('red fox.png');
    expect(progress.at(-1)).toEqual({ received: PNG.length, total: PNG.length });
  });

  it('refuses http, and addresses in this computer or its network, before connecting', async () => {
    const server = await serve((_request, response) => response.end(PNG));
    const local = /your own computer or network/;
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${server.port}/a.png`, /only https links/],
      ['file:///etc/passwd', /only https links/],
      [`https://127.0.0.1:${server.port}/a.png`, local],
      [
        `https://localhost:${server.port}/a.png`,
        /localhost:\d+: it resolves to an address in your own/,
      ],
      ['https://[::1]/a.png', local],
      ['https://[::ffff:127.0.0.1]/a.png', local],
      ['https://169.254.169.254/latest/meta-data', local],
      ['https://10.0.0.8/a.png', local],
      ['https://192.168.1.1/a.png', local],
      ['https://100.64.0.1/a.png', local],
    ];
    for (const [url, why] of cases) {
      const refused = await failure(fetchWebImage(url, { policy: PUBLIC_HTTPS }));
      expect(refused.code, url).toBe('BAD_ARGUMENT');
      expect(refused.message, url).toMatch(why);
    }
    expect(server.requests).toEqual([]);
  });

  it('checks every redirect: a hop to another local service is refused unrequested', async () => {
    const admin = await serve((_request, response) => response.end('rebooted'));
    const site = await serve((request, response) => {
      if (request.url === '/moved.png') {
        response.writeHead(302, { location: '/a.png' });
        response.end();
      } else if (request.url === '/a.png') {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(PNG);
      } else if (request.url === '/loop') {
        response.writeHead(301, { location: '/loop' });
        response.end();
      } else {
        response.writeHead(302, { location: `http://127.0.0.1:${admin.port}/admin/reboot` });
        response.end();
      }
    });
    const policy = onlyPort(site.port);
    const base = `http://127.0.0.1:${site.port}`;
    expect((await fetchWebImage(`${base}/moved.png`, { policy })).name).toBe('a.png');
    expect((await failure(fetchWebImage(`${base}/innocent.png`, { policy }))).message).toMatch(
      /your own computer or network/,
    );
    expect(admin.requests).toEqual([]);
    expect((await failure(fetchWebImage(`${base}/loop`, { policy }))).message).toMatch(
      /redirected more than 5 times/,
    );
  });

  it('refuses a body over the cap, declared or streamed, without reading it all', async () => {
    const megabyte = Buffer.alloc(1024 * 1024, 7);
    const server = await serve((request, response, state) => {
      if (request.url === '/declared.jpg') {
        response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 200 * 2 ** 20 });
        response.write(megabyte);
        return;
      }
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      let left = 200;
      const pump = (): void => {
        while (left > 0 && !response.destroyed) {
          left--;
          state.sent += megabyte.length;
          if (!response.write(megabyte)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
    const policy = onlyPort(server.port);
    const base = `http://127.0.0.1:${server.port}`;
    for (const file of ['declared.jpg', 'streamed.jpg']) {
      const refused = await failure(
        fetchWebImage(`${base}/${file}`, { policy, maxBytes: 4 * 2 ** 20 }),
      );
      expect(refused.message, file).toMatch(/larger than 4 MB/);
    }
    // The client hung up near the cap: the server never got to write its 200 MB.
    expect(server.sent).toBeLessThan(64 * 2 ** 20);
  });

  it('gives up on a server that never answers, and stops when the user cancels', async () => {
    const silent = await serve(() => undefined);
    const policy = onlyPort(silent.port);
    const url = `http://127.0.0.1:${silent.port}/slow.jpg`;
    expect((await failure(fetchWebImage(url, { policy, timeoutMs: 200 }))).message).toMatch(
      /did not answer in time/,
    );
    const cancel = new AbortController();
    const download = fetchWebImage(url, { policy, signal: cancel.signal });
    await expect.poll(() => silent.requests.length, { timeout: 15_000 }).toBe(2);
    cancel.abort();
    expect(await failure(download)).toMatchObject({ code: 'CANCELLED' });
  });

  it('refuses a link that is not an image, naming what it is', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<html></html>');
    });
    const refused = await failure(
      fetchWebImage(`http://127.0.0.1:${server.port}/page`, { policy: onlyPort(server.port) }),
    );
    expect(refused.message).toMatch(/not an image \(text\/html\)/);
  });
});
