import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUpdateCheck } from '../../src-main/electron/update-check';
import type { UpdateCheckOptions } from '../../src-main/electron/update-check';
import { PUBLIC_HTTPS } from '../../src-main/electron/web-image';
import type { WebImagePolicy } from '../../src-main/electron/web-image';

/** A local release server (a real socket) that records every request it gets. */
interface ReleaseServer {
  port: number;
  requests: { url: string; headers: http.IncomingHttpHeaders }[];
  /** What it answers next: status, headers and body. */
  answer: { status: number; headers?: Record<string, string>; body: string };
  close(): Promise<void>;
}

async function releaseServer(): Promise<ReleaseServer> {
  const state: ReleaseServer = {
    port: 0,
    requests: [],
    answer: { status: 404, body: '' },
    close: () => Promise.resolve(),
  };
  const server = http.createServer((request, response) => {
    state.requests.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(state.answer.status, state.answer.headers ?? {});
    response.end(state.answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** Plain http to ONE loopback port: the test's server, and nothing else on this machine. */
function onlyPort(port: number): WebImagePolicy {
  return {
    protocols: ['http:'],
    allowAddress: (address, toPort) => address === '127.0.0.1' && toPort === port,
  };
}

const HOUR = 3_600_000;

describe('the opt-in update check', () => {
  let work: string;
  let server: ReleaseServer;
  let clock: number;
  let opened: string[];
  let files = 0;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-update-check-'));
    server = await releaseServer();
  });
  afterAll(async () => {
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });
  afterEach(() => {
    server.requests.length = 0;
  });

  /** A fresh install's check (its own state file), against the test's server unless told otherwise. */
  function updateCheck(options: Partial<UpdateCheckOptions> = {}) {
    clock = Date.UTC(2026, 11, 4, 9);
    opened = [];
    return createUpdateCheck({
      url: `http://127.0.0.1:${server.port}/releases/latest.json`,
      currentVersion: '0.1.0',
      stateFile: path.join(work, `state-${++files}`, 'update-check.json'),
      policy: onlyPort(server.port),
      now: () => clock,
      openExternal: async (url) => void opened.push(url),
      ...options,
    });
  }

  function release(version: string, page = 'https://127.0.0.1/releases/' + version) {
    server.answer = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version, url: page }),
    };
  }

  it('is off for a new user and asks nothing', async () => {
    release('0.2.0');
    const check = updateCheck();
    expect(await check.state()).toMatchObject({
      enabled: false,
      host: `127.0.0.1:${server.port}`,
      available: null,
      lastCheck: null,
    });
    await expect(check.openUpdatePage()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(server.requests).toEqual([]);
  });

  it('turned on, asks the pinned address once, with nothing about the library, and offers the newer version', async () => {
    release('0.2.0');
    const check = updateCheck();
    expect(await check.setEnabled(true)).toMatchObject({
      enabled: true,
      currentVersion: '0.1.0',
      lastCheck: clock,
      available: { version: '0.2.0', url: 'https://127.0.0.1/releases/0.2.0' },
      problem: null,
    });
    expect(server.requests.map((request) => request.url)).toEqual(['/releases/latest.json']);
    const headers: http.IncomingHttpHeaders = server.requests[0]?.headers ?? {};
    expect(headers.cookie).toBeUndefined();
    expect(Object.keys(headers).sort()).toEqual(['accept', 'connection', 'host']);
    await check.openUpdatePage();
    expect(opened).toEqual(['https://127.0.0.1/releases/0.2.0']);
  });

  it('asks at most once a day', async () => {
    release('0.2.0');
    const check = updateCheck();
    await check.setEnabled(true);
    clock += 23 * HOUR;
    release('0.3.0');
    expect((await check.state()).available).toMatchObject({ version: '0.2.0' });
    expect(server.requests).toHaveLength(1);
    clock += 2 * HOUR;
    expect((await check.state()).available).toMatchObject({ version: '0.3.0' });
    expect(server.requests).toHaveLength(2);
  });

  it('offers nothing when this version is the latest (or newer)', async () => {
    for (const latest of ['0.1.0', '0.0.9']) {
      release(latest);
      const check = updateCheck();
      expect((await check.setEnabled(true)).available, latest).toBeNull();
      await expect(check.openUpdatePage()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('turned off again, forgets what it found and asks nothing more', async () => {
    release('0.2.0');
    const check = updateCheck();
    await check.setEnabled(true);
    expect(await check.setEnabled(false)).toMatchObject({ enabled: false, available: null });
    clock += 48 * HOUR;
    expect((await check.state()).available).toBeNull();
    expect(server.requests).toHaveLength(1);
  });

  it('refuses redirects, big, broken or foreign answers with one line, and tries again the next day', async () => {
    const cases: [ReleaseServer['answer'], string][] = [
      [
        { status: 302, headers: { location: 'http://127.0.0.1:1/admin' }, body: '' },
        'it answered 302',
      ],
      [{ status: 200, body: 'x'.repeat(20_000) }, 'its answer is over 16 KB'],
      [{ status: 200, body: '<html>maintenance</html>' }, 'its answer is not JSON'],
      [
        { status: 200, body: '{"version":"soon","url":"https://127.0.0.1/"}' },
        'its answer names no version and https page',
      ],
      [
        { status: 200, body: '{"version":"9.0.0","url":"https://evil.example/get"}' },
        'it names a page on another site (evil.example)',
      ],
    ];
    for (const [answer, why] of cases) {
      server.answer = answer;
      const check = updateCheck();
      expect(await check.setEnabled(true), why).toMatchObject({
        available: null,
        problem: `Could not check 127.0.0.1:${server.port} for a new version: ${why}.`,
      });
    }
    // One request each: the redirect was not followed.
    expect(server.requests).toHaveLength(cases.length);
    const check = updateCheck();
    await check.setEnabled(true);
    release('0.2.0');
    clock += 25 * HOUR;
    expect(await check.state()).toMatchObject({ problem: null, available: { version: '0.2.0' } });
  });

  it('with the app’s policy, refuses plain http and addresses in this computer or network', async () => {
    release('0.2.0');
    for (const [url, why] of [
      [`http://127.0.0.1:${server.port}/releases/latest.json`, 'only https is used'],
      [
        `https://127.0.0.1:${server.port}/releases/latest.json`,
        'it points into your own computer or network',
      ],
      ['https://localhost/releases/latest.json', 'it could not be reached'],
    ] as const) {
      const check = updateCheck({ url, policy: PUBLIC_HTTPS });
      expect((await check.setEnabled(true)).problem, url).toMatch(`for a new version: ${why}.`);
    }
    expect(server.requests).toEqual([]);
  });
});
