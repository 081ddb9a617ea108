import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Core } from '../../src-main/core';
import { openVerifiedFile } from '../../src-main/core/files/verified-file';
import { serveHost } from '../../src-main/core-host/serve-host';
import { IMAGE_CONTENT_TYPES } from '../../src-main/electron/image-types';
import type { Reply } from '../../src-main/shared/reply';
import { shellArgs, validArgs } from '../../src-main/shared/contract-schemas';
import type { ShellCommandName } from '../../src-main/shared/contract';
import { PhotoseekError, toErrorData } from '../../src-main/shared/errors';
import type { FolderPurpose, UpdateCheckState } from '../../src-main/shared/types';
import { createHttpRpcEndpoint } from './http-transport';
import { BRIDGE_SCRIPT } from './renderer-build';

export interface BridgeServerOptions {
  /** The real core, opened by the test (which disposes it after `close`). */
  core: Core;
  /** The built renderer and the bridge script (renderer-build.ts). */
  rendererDir: string;
  /** What shell.pickFolder answers for each purpose (none: the dialog is cancelled). */
  pickedFolders: Partial<Record<FolderPurpose, string>>;
}

export interface BridgeServer {
  /** The app's page. */
  readonly pageUrl: string;
  /** The server's origin and its token, for tests that probe it. */
  readonly origin: string;
  readonly token: string;
  /** Every shell command the page sent, in order. */
  readonly shellCalls: { command: ShellCommandName; args: unknown[] }[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 96 * 1024 * 1024;
const PHOTO_ROUTE = /^(thumb|photo)\/([1-9][0-9]{0,14})$/;
const STATIC_FILE = /^[\w-]+(\.[\w-]+)*(\/[\w-]+(\.[\w-]+)*)*$/;
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * [Note: Loopback bridge] The full-stack tests run the built renderer in Chromium against the
 * real core, with this server in the place of Electron's main process and preload:
 *   /<token>/             the built index.html, with the bridge script added before the app's entry
 *   /<token>/rpc          POST: one RPC message for the core host (serveHost, as in the app)
 *   /<token>/events       GET: Server-Sent Events, the RPC's replies and the core's events
 *   /<token>/shell        POST: the shell commands (pickFolder answers the test's folders; all are recorded)
 *   /<token>/thumb/<id>   the thumbnail and the original of an indexed photo, by id only, like
 *   /<token>/photo/<id>   thumb:// and photo:// ([Note: Photo URLs]); anything else is 404
 * It listens on 127.0.0.1 only, on a random port, and answers 403 to any request whose path does
 * not start with the random token or whose Host is not that address (DNS rebinding). The page's
 * own CSP (the meta tag of index.html) stays as built.
 */
export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const { core, rendererDir, pickedFolders } = options;
  const token = randomBytes(24).toString('base64url');
  const page = await pageWithBridge(rendererDir);
  const endpoint = createHttpRpcEndpoint();
  const host = serveHost(core, endpoint.transport);
  const shellCalls: BridgeServer['shellCalls'] = [];

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('The loopback bridge failed on', request.url, error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const prefix = `/${token}/`;
    const url = new URL(request.url ?? '/', origin);
    if (request.headers.host !== `127.0.0.1:${port}` || !url.pathname.startsWith(prefix)) {
      return end(response, 403);
    }
    const route = url.pathname.slice(prefix.length);
    const method = request.method ?? 'GET';
    if (method === 'POST' && route === 'rpc') {
      endpoint.receive(await readBody(request));
      return end(response, 204);
    }
    if (method === 'POST' && route === 'shell') {
      const reply = await runShell(await readBody(request));
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify(reply));
    }
    if (method !== 'GET') return end(response, 405);
    if (route === 'events') return endpoint.stream(response);
    if (route === '' || route === 'index.html') {
      response.writeHead(200, { 'Content-Type': contentTypes['.html']! });
      return void response.end(page);
    }
    const photo = PHOTO_ROUTE.exec(route);
    if (photo) return sendPhoto(response, photo[1] === 'thumb', Number(photo[2]));
    return sendStatic(response, route);
  }

  async function runShell(body: string): Promise<Reply> {
    try {
      const { command, args } = JSON.parse(body) as { command: string; args: unknown[] };
      const checked = validArgs(shellArgs, command, args);
      // validArgs knows `command`: it is a shell command.
      const name = command as ShellCommandName;
      shellCalls.push({ command: name, args: checked });
      const purpose = (checked[0] as FolderPurpose | undefined) ?? 'photos';
      return { ok: true, value: shellAnswer(name, pickedFolders[purpose] ?? null) };
    } catch (error) {
      return { ok: false, error: toErrorData(error) };
    }
  }

  async function sendPhoto(response: ServerResponse, thumbnail: boolean, photoId: number) {
    if (thumbnail) {
      const file = core.thumbnailPath(photoId);
      if (!file || !(await isFile(file))) return end(response, 404);
      response.writeHead(200, { 'Content-Type': 'image/jpeg' });
      return void createReadStream(file).pipe(response);
    }
    // As the photo:// protocol serves it: the first file still the one indexed, from its checked fd.
    const file = await core.verifiedFile(photoId);
    const handle = file && (await openVerifiedFile(file));
    if (!file || !handle) return end(response, 404);
    response.writeHead(200, { 'Content-Type': IMAGE_CONTENT_TYPES[file.format] });
    handle.createReadStream().pipe(response);
  }

  async function sendStatic(response: ServerResponse, route: string): Promise<void> {
    const type = contentTypes[path.extname(route)];
    const file = path.join(rendererDir, route);
    if (!STATIC_FILE.test(route) || !type || !(await isFile(file))) return end(response, 404);
    response.writeHead(200, { 'Content-Type': type });
    createReadStream(file).pipe(response);
  }

  return {
    pageUrl: `${origin}/${token}/`,
    origin,
    token,
    shellCalls,
    async close() {
      endpoint.close();
      await host.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The built index.html with the bridge script as the first module script: it runs before the app's. */
async function pageWithBridge(rendererDir: string): Promise<string> {
  const html = await readFile(path.join(rendererDir, 'index.html'), 'utf8');
  const appEntry = html.indexOf('<script type="module"');
  if (appEntry < 0) throw new Error(`${rendererDir}/index.html has no module script`);
  const bridge = `<script type="module" src="./${BRIDGE_SCRIPT}"></script>\n    `;
  return html.slice(0, appEntry) + bridge + html.slice(appEntry);
}

function end(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new PhotoseekError('BAD_ARGUMENT', 'Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

/**
 * What the recorded shell commands answer: the test's folder for the folder dialog, a cancelled
 * image dialog, and the update check as a new user has it (off); the rest answer nothing.
 */
function shellAnswer(name: ShellCommandName, pickedFolder: string | null): unknown {
  switch (name) {
    case 'shell.pickFolder':
      return pickedFolder;
    case 'shell.chooseImage':
      return null;
    case 'shell.updateCheck':
    case 'shell.setUpdateCheck':
      return {
        enabled: false,
        host: 'photoseek.app',
        currentVersion: '0.1.0',
        lastCheck: null,
        available: null,
        problem: null,
      } satisfies UpdateCheckState;
    default:
      return undefined;
  }
}
