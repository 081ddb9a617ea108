import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';

/** The renderer's origin in a built app ([Note: The app:// origin]). */
export const APP_ORIGIN = 'app://photoseek';
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * [Note: The app:// origin] A built app loads its renderer from `app://photoseek/`, not
 * `file://`: Electron's file:// pages get privileges a web page never has (every file:// URL is
 * same-origin, so a script could read any local file it can name), and a packaged build turns
 * those off with the GrantFileProtocolExtraPrivileges fuse (electron-builder.yml), which a
 * file:// renderer would not survive. The handler serves only files inside the renderer's build
 * folder: a path is decoded, resolved and must stay inside it (`..`, encoded or not, and absolute
 * paths are 404); any other host is 404.
 */
export function serveRendererFiles(rendererDir: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle('app', async (request) => {
    const file = rendererFile(root, request.url);
    if (file === null) return new Response(null, { status: 404 });
    const response = await net.fetch(pathToFileURL(file).href).catch(() => null);
    return response?.ok ? response : new Response(null, { status: 404 });
  });
}

/** The file an app:// URL names inside `root`, or null when it names none. */
export function rendererFile(root: string, url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  // Not parsed.origin: WHATWG's URL gives `null` as the origin of a non-special scheme.
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + relative));
  return file.startsWith(root + path.sep) ? file : null;
}
