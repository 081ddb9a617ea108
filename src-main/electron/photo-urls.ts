/**
 * [Note: Photo URLs] The renderer shows images by URL, never by bytes over IPC:
 * `thumb://local/<photoId>` (the JPEG thumbnail) and `photo://local/<photoId>` (the original).
 * The host is fixed because both schemes are registered as standard, and a standard URL's numeric
 * host would be read as an IPv4 address. Only this exact shape names a photo; anything else (a
 * path, `..`, an encoded slash, another host) names nothing and is answered 404.
 * Pure: imported by the preload (sandboxed) and by the protocol handler.
 */
export type PhotoScheme = 'thumb' | 'photo';

const HOST = 'local';
const PHOTO_ID_PATH = /^\/([1-9][0-9]{0,14})$/;

export function thumbnailUrl(photoId: number): string {
  return `thumb://${HOST}/${photoId}`;
}

export function photoUrl(photoId: number): string {
  return `photo://${HOST}/${photoId}`;
}

/** The photo id a `scheme` URL names; null unless the URL is exactly `<scheme>://local/<id>`. */
export function photoIdFromUrl(url: string, scheme: PhotoScheme): number | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const exact = parsed.protocol === `${scheme}:` && parsed.host === HOST;
  const extras = parsed.username || parsed.password || parsed.search || parsed.hash;
  if (!exact || extras) return null;
  const match = PHOTO_ID_PATH.exec(parsed.pathname);
  return match ? Number(match[1]) : null;
}
