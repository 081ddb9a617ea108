import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { PhotoseekError } from '../shared/errors';

/** The contract's limit for `search.imageBytes`. */
export const MAX_WEB_IMAGE_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;
const ADVICE = 'Save the image to your computer and drop the file instead.';

/**
 * Which servers a download may talk to. The app's is PUBLIC_HTTPS; tests narrow it to a server
 * of their own on the loopback interface (which PUBLIC_HTTPS refuses).
 */
export interface WebImagePolicy {
  protocols: readonly ('https:' | 'http:')[];
  /** Whether the address a host name resolved to (or a literal address) may be connected to. */
  allowAddress(address: string, port: number): boolean;
}

/** Public unicast addresses only: no loopback, private, link-local, CGNAT, multicast, reserved. */
export const PUBLIC_HTTPS: WebImagePolicy = {
  protocols: ['https:'],
  allowAddress: (address) =>
    ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast',
};

export interface WebImageOptions {
  policy?: WebImagePolicy;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  onProgress?: (progress: { received: number; total: number | null }) => void;
}

export interface WebImage {
  bytes: Uint8Array;
  /** The file name in the URL's path, or the host when the path has none. */
  name: string;
}

/**
 * [Note: Web images are fetched in main] An image dragged from a web page arrives as a URL. The
 * renderer used to fetch it itself, which let a page (or a compromised renderer) make the app
 * request any address: it followed a redirect to a loopback `/admin/reboot`, waited forever on
 * a silent server and downloaded 200 MB before refusing. Main fetches it instead, and:
 * - only https (PUBLIC_HTTPS), on every hop: redirects are followed by hand, at most
 *   MAX_REDIRECTS, each one checked like the first URL;
 * - the address is checked where the connection is made (the socket's `lookup`), so a name that
 *   resolves to 127.0.0.1, 10.x, 169.254.169.254 (cloud metadata), ::1 or ::ffff:127.0.0.1 is
 *   refused, including a DNS answer that changes between a check and the connection (rebinding);
 * - a Content-Length over the cap is refused before the body, and a body is cut off at the cap
 *   while it streams; one deadline (TIMEOUT_MS) covers every hop, and the user can cancel.
 * The renderer's CSP allows no network connection at all (`connect-src 'self' data:`).
 */
export async function fetchWebImage(url: string, options: WebImageOptions = {}): Promise<WebImage> {
  const policy = options.policy ?? PUBLIC_HTTPS;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let target = parseUrl(url, policy);
  const first = target;
  for (let hop = 0; ; hop++) {
    const response = await request(target, policy, signal);
    const location = response.headers.location;
    if (
      response.statusCode &&
      response.statusCode >= 300 &&
      response.statusCode < 400 &&
      location
    ) {
      response.resume();
      if (hop === MAX_REDIRECTS)
        throw refused(first, `it redirected more than ${MAX_REDIRECTS} times`);
      target = parseUrl(new URL(location, target).href, policy, first);
      continue;
    }
    if (response.statusCode !== 200) {
      response.resume();
      throw refused(first, `the server answered ${response.statusCode ?? 'nothing'}`);
    }
    const type = response.headers['content-type']?.split(';')[0]?.trim() ?? '';
    if (type !== '' && !type.startsWith('image/') && type !== 'application/octet-stream') {
      response.resume();
      throw refused(first, `the link is not an image (${type})`);
    }
    const bytes = await readBody(response, first, options, signal);
    return { bytes, name: fileName(target) };
  }
}

function parseUrl(text: string, policy: WebImagePolicy, original?: URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new PhotoseekError('BAD_ARGUMENT', `"${text.slice(0, 200)}" is not a web address.`);
  }
  if (!(policy.protocols as readonly string[]).includes(parsed.protocol)) {
    const where = original
      ? `${original.host} redirected to ${parsed.protocol}//…`
      : parsed.protocol;
    throw refused(original ?? parsed, `only https links are downloaded (${where})`);
  }
  return parsed;
}

function request(
  target: URL,
  policy: WebImagePolicy,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(hostname) && !policy.allowAddress(hostname, port)) {
    return Promise.reject(refused(target, 'it points into your own computer or network'));
  }
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const outgoing = send(target, {
      signal,
      lookup: checkedLookup(policy, port),
      headers: { accept: 'image/*' },
    });
    outgoing.on('response', resolve);
    outgoing.on('error', (error) => reject(describeFailure(error, target, signal)));
    outgoing.end();
  });
}

/** dns.lookup, refusing every address the policy does not allow ([Note: Web images are fetched in main]). */
export function checkedLookup(policy: WebImagePolicy, port: number): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((entry) => !policy.allowAddress(entry.address, port));
      if (blocked || addresses.length === 0) {
        return callback(new PrivateAddressError(hostname), '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

class PrivateAddressError extends Error {
  constructor(hostname: string) {
    super(`${hostname} resolves to an address in your own computer or network`);
  }
}

async function readBody(
  response: http.IncomingMessage,
  source: URL,
  { maxBytes = MAX_WEB_IMAGE_BYTES, onProgress }: WebImageOptions,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length']);
  const total = Number.isFinite(declared) && declared >= 0 ? declared : null;
  if (total !== null && total > maxBytes) {
    response.destroy();
    throw tooLarge(source, maxBytes);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) {
        response.destroy();
        throw tooLarge(source, maxBytes);
      }
      chunks.push(chunk);
      onProgress?.({ received, total });
    }
  } catch (error) {
    throw error instanceof PhotoseekError ? error : describeFailure(error, source, signal);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function describeFailure(error: unknown, source: URL, signal: AbortSignal): PhotoseekError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof DOMException && reason.name === 'TimeoutError'
      ? refused(source, 'the server did not answer in time')
      : new PhotoseekError('CANCELLED', `The download from ${source.host} was cancelled.`);
  }
  if (error instanceof PrivateAddressError) {
    return refused(source, error.message.replace(/^.*? resolves/, 'it resolves'));
  }
  return refused(source, 'the site could not be reached');
}

function refused(source: URL, why: string): PhotoseekError {
  return new PhotoseekError(
    'BAD_ARGUMENT',
    `Could not download the image from ${source.host}: ${why}. ${ADVICE}`,
  );
}

function tooLarge(source: URL, maxBytes: number): PhotoseekError {
  const megabytes = Math.round(maxBytes / (1024 * 1024));
  return new PhotoseekError(
    'BAD_ARGUMENT',
    `The image at ${source.host} is larger than ${megabytes} MB, the most that can be searched. ${ADVICE}`,
  );
}

function fileName(target: URL): string {
  const last = target.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || target.host;
  } catch {
    return last;
  }
}
