import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import semver from 'semver';
import { z } from 'zod';
import { PhotoseekError } from '../shared/errors';
import type { UpdateCheckState } from '../shared/types';
import { checkedLookup, PUBLIC_HTTPS } from './web-image';
import type { WebImagePolicy } from './web-image';

/** The one address the update check asks: a small JSON, `{ "version": "1.2.0", "url": "https://…" }`. */
export const UPDATE_URL = 'https://photoseek.app/releases/latest.json';
const CHECK_EVERY_MS = 24 * 60 * 60 * 1000;
const MAX_BYTES = 16 * 1024;
const TIMEOUT_MS = 10_000;

const LatestRelease = z.object({
  version: z.string().refine((version) => semver.valid(version) !== null, 'not a version'),
  url: z.url({ protocol: /^https$/ }),
});
type LatestRelease = z.infer<typeof LatestRelease>;

const StoredState = z.object({
  enabled: z.boolean(),
  lastCheck: z.number().nullable(),
  latest: LatestRelease.nullable(),
  problem: z.string().nullable(),
});
type StoredState = z.infer<typeof StoredState>;

const OFF: StoredState = { enabled: false, lastCheck: null, latest: null, problem: null };

export interface UpdateCheckOptions {
  /** UPDATE_URL in the app; tests point it at a server of their own. */
  url: string;
  /** app.getVersion(). */
  currentVersion: string;
  /** Where the setting and the last answer are kept (in the user data folder). */
  stateFile: string;
  /** PUBLIC_HTTPS in the app ([Note: Web images are fetched in main]); tests allow their own port. */
  policy?: WebImagePolicy;
  now?: () => number;
  /** Opens the release page in the browser (Electron's shell.openExternal). */
  openExternal: (url: string) => Promise<void>;
}

export interface UpdateCheck {
  /** The setting and what the last check found; checks first when it is on and a day has passed. */
  state(): Promise<UpdateCheckState>;
  setEnabled(enabled: boolean): Promise<UpdateCheckState>;
  /** Opens the newer version's page; refused when there is none. */
  openUpdatePage(): Promise<void>;
}

/**
 * [Note: Opt-in update check] Off by default: until the user turns it on, the app makes no
 * request of its own. When on, main asks one pinned address (UPDATE_URL) at most once a day for a
 * small JSON naming the latest version and its page, and compares it with app.getVersion(). The
 * request carries nothing about the library (no query, no cookie, no identifier). It goes
 * through the web-image guards: https only, the address checked where the socket connects (no
 * loopback or private network, [Note: Web images are fetched in main]), no redirect followed, a
 * 16 KB cap and a 10 s deadline; the page it names must be https on the same host, and is opened
 * in the browser only when the user asks. A failed check is remembered as one line, shown beside
 * the setting, and tried again the next day.
 */
export function createUpdateCheck(options: UpdateCheckOptions): UpdateCheck {
  const now = options.now ?? Date.now;
  const pinned = new URL(options.url);
  let checking: Promise<StoredState> | null = null;

  async function load(): Promise<StoredState> {
    const text = await readFile(options.stateFile, 'utf8').catch(() => null);
    if (text === null) return OFF;
    try {
      const stored = StoredState.safeParse(JSON.parse(text));
      return stored.success ? stored.data : OFF;
    } catch {
      return OFF;
    }
  }

  async function save(state: StoredState): Promise<void> {
    await mkdir(path.dirname(options.stateFile), { recursive: true });
    const temporary = `${options.stateFile}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(state));
    await rename(temporary, options.stateFile);
  }

  async function check(state: StoredState): Promise<StoredState> {
    const checked = { ...state, lastCheck: now() };
    try {
      const latest = await fetchLatestRelease(pinned, options.policy ?? PUBLIC_HTTPS);
      return { ...checked, latest, problem: null };
    } catch (error) {
      const problem = error instanceof PhotoseekError ? error.message : String(error);
      return { ...checked, problem };
    }
  }

  async function current(): Promise<StoredState> {
    const state = await load();
    const due = state.lastCheck === null || now() - state.lastCheck >= CHECK_EVERY_MS;
    if (!state.enabled || !due) return state;
    checking ??= check(state)
      .then(async (checked) => (await save(checked), checked))
      .finally(() => (checking = null));
    return checking;
  }

  function view(state: StoredState): UpdateCheckState {
    const newer = state.latest && semver.gt(state.latest.version, options.currentVersion);
    return {
      enabled: state.enabled,
      host: pinned.host,
      currentVersion: options.currentVersion,
      lastCheck: state.lastCheck,
      available: newer ? state.latest : null,
      problem: state.problem,
    };
  }

  return {
    state: async () => view(await current()),
    async setEnabled(enabled) {
      await save(enabled ? { ...OFF, enabled: true } : OFF);
      return view(await current());
    },
    async openUpdatePage() {
      const { available } = view(await load());
      if (!available || !onPinnedHost(available.url, pinned)) {
        throw new PhotoseekError('NOT_FOUND', 'There is no newer version to open.');
      }
      await options.openExternal(available.url);
    },
  };
}

/** Asks `target` for the latest release (no redirects: the address is pinned). */
export async function fetchLatestRelease(
  target: URL,
  policy: WebImagePolicy,
  timeoutMs = TIMEOUT_MS,
): Promise<LatestRelease> {
  if (!(policy.protocols as readonly string[]).includes(target.protocol)) {
    throw refused(target, 'only https is used');
  }
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(hostname) && !policy.allowAddress(hostname, port)) {
    throw refused(target, 'it points into your own computer or network');
  }
  const signal = AbortSignal.timeout(timeoutMs);
  const send = target.protocol === 'https:' ? https.request : http.request;
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const outgoing = send(target, {
      signal,
      lookup: checkedLookup(policy, port),
      headers: { accept: 'application/json' },
    });
    outgoing.on('response', resolve);
    outgoing.on('error', () =>
      reject(
        refused(target, signal.aborted ? 'it did not answer in time' : 'it could not be reached'),
      ),
    );
    outgoing.end();
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw refused(target, `it answered ${response.statusCode ?? 'nothing'}`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > MAX_BYTES) {
        response.destroy();
        throw refused(target, `its answer is over ${MAX_BYTES / 1024} KB`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    throw error instanceof PhotoseekError ? error : refused(target, 'the answer was cut off');
  }
  let release: z.ZodSafeParseResult<LatestRelease>;
  try {
    release = LatestRelease.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch {
    throw refused(target, 'its answer is not JSON');
  }
  if (!release.success) throw refused(target, 'its answer names no version and https page');
  if (!onPinnedHost(release.data.url, target)) {
    throw refused(target, `it names a page on another site (${new URL(release.data.url).host})`);
  }
  return release.data;
}

function onPinnedHost(url: string, pinned: URL): boolean {
  const page = new URL(url);
  return page.protocol === 'https:' && page.hostname === pinned.hostname;
}

function refused(target: URL, why: string): PhotoseekError {
  return new PhotoseekError('OFFLINE', `Could not check ${target.host} for a new version: ${why}.`);
}
