import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { openVerifiedFile } from '../core/files/verified-file';
import { PhotoseekError } from '../shared/errors';
import type { HostApi } from '../core/rpc/host-api';
import { IMAGE_CONTENT_TYPES } from './image-types';
import { photoIdFromUrl } from './photo-urls';
import type { PhotoScheme } from './photo-urls';

type PhotoFiles = Pick<HostApi, 'photos.thumbnailPath' | 'photos.verifiedFile'>;

const schemes: readonly PhotoScheme[] = ['thumb', 'photo'];

/**
 * Must run before the app is ready: the renderer's own scheme ([Note: The app:// origin]) and the
 * photo schemes behave like https (fetch, secure context).
 */
export function registerAppSchemes(): void {
  protocol.registerSchemesAsPrivileged(
    ['app', ...schemes].map((scheme) => ({
      scheme,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    })),
  );
}

/**
 * Serves `thumb://local/<id>` and `photo://local/<id>` ([Note: Photo URLs]). The id is the only
 * input: the core says which file belongs to an indexed photo, so no URL can name an arbitrary
 * path. An original is served only while it is still the file indexed ([Note: Verified files]),
 * from the descriptor that was checked. Unknown ids, malformed URLs and missing, changed or
 * swapped files are 404.
 */
export function servePhotoProtocols(core: PhotoFiles): void {
  protocol.handle('thumb', (request) => respond(request, 'thumb', (id) => thumbnail(core, id)));
  protocol.handle('photo', (request) => respond(request, 'photo', (id) => original(core, id)));
}

async function respond(
  request: Request,
  scheme: PhotoScheme,
  serve: (photoId: number) => Promise<Response | null>,
): Promise<Response> {
  const photoId = photoIdFromUrl(request.url, scheme);
  if (photoId === null) return notFound();
  try {
    return (await serve(photoId)) ?? notFound();
  } catch (error) {
    if (error instanceof PhotoseekError && error.code === 'NOT_FOUND') return notFound();
    console.error(`${scheme}:// could not serve photo ${photoId}:`, error);
    return new Response(null, { status: 500 });
  }
}

/** Thumbnails are the core's own files (named by content hash, in the data folder). */
async function thumbnail(core: PhotoFiles, photoId: number): Promise<Response | null> {
  const file = await core['photos.thumbnailPath'](photoId);
  const info = file === null ? undefined : await stat(file).catch(() => undefined);
  return file !== null && info?.isFile() ? net.fetch(pathToFileURL(file).href) : null;
}

/** The photo's first file that is still the one indexed, streamed from the verified descriptor. */
async function original(core: PhotoFiles, photoId: number): Promise<Response | null> {
  const file = await core['photos.verifiedFile'](photoId);
  const handle = file && (await openVerifiedFile(file));
  if (!file || !handle) return null;
  const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      'Content-Type': IMAGE_CONTENT_TYPES[file.format],
      'Content-Length': String(file.size),
    },
  });
}

function notFound(): Response {
  return new Response(null, { status: 404 });
}
