import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { PhotoseekError } from '../shared/errors';
import type { HostApi } from '../core/rpc/host-api';
import { photoIdFromUrl } from './photo-urls';
import type { PhotoScheme } from './photo-urls';

type PhotoFiles = Pick<HostApi, 'photos.thumbnailPath' | 'photos.get'>;

const schemes: readonly PhotoScheme[] = ['thumb', 'photo'];

/** Must run before the app is ready: the photo schemes behave like https (fetch, secure context). */
export function registerPhotoSchemes(): void {
  protocol.registerSchemesAsPrivileged(
    schemes.map((scheme) => ({
      scheme,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    })),
  );
}

/**
 * Serves `thumb://local/<id>` and `photo://local/<id>` ([Note: Photo URLs]). The id is the only
 * input: the core says which file belongs to an indexed photo, so no URL can name an arbitrary
 * path. Unknown ids, malformed URLs and missing files are 404.
 */
export function servePhotoProtocols(core: PhotoFiles): void {
  protocol.handle('thumb', (request) =>
    respond(request, 'thumb', (id) => core['photos.thumbnailPath'](id)),
  );
  protocol.handle('photo', (request) => respond(request, 'photo', (id) => originalFile(core, id)));
}

async function respond(
  request: Request,
  scheme: PhotoScheme,
  fileFor: (photoId: number) => Promise<string | null>,
): Promise<Response> {
  const photoId = photoIdFromUrl(request.url, scheme);
  if (photoId === null) return notFound();
  try {
    const file = await fileFor(photoId);
    if (file === null || !(await isFile(file))) return notFound();
    return await net.fetch(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof PhotoseekError && error.code === 'NOT_FOUND') return notFound();
    console.error(`${scheme}:// could not serve photo ${photoId}:`, error);
    return new Response(null, { status: 500 });
  }
}

/** The first of the photo's files still on disk (exact duplicates share one photo). */
async function originalFile(core: PhotoFiles, photoId: number): Promise<string | null> {
  const details = await core['photos.get'](photoId);
  for (const candidate of details.paths) if (await isFile(candidate)) return candidate;
  return null;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

function notFound(): Response {
  return new Response(null, { status: 404 });
}
