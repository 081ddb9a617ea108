/**
 * [Note: Loopback wire format] The RPC messages ([Note: RPC wire format]) are structured-clone
 * data; over HTTP they travel as JSON, which has no bytes. A Uint8Array (search.imageBytes'
 * argument) is sent as `{ "$bytes": "<base64>" }` and turned back into a Uint8Array on arrival,
 * so the core's zod schema sees what a MessagePort would have delivered. Used by the page
 * (browser-bridge.ts) and by the server (http-transport.ts).
 */
const BYTES = '$bytes';

export function encodeWire(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    value instanceof Uint8Array ? { [BYTES]: toBase64(value) } : value,
  );
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    isEncodedBytes(value) ? fromBase64(value[BYTES]) : value,
  );
}

function isEncodedBytes(value: unknown): value is { [BYTES]: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>)[BYTES] === 'string'
  );
}

/** btoa and atob exist in browsers and in Node alike. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
