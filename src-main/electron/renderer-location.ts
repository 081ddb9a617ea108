import { pathToFileURL } from 'node:url';
import type { BrowserWindow, WebFrameMain } from 'electron';

/**
 * Where the renderer is loaded from: the electron-vite dev server in development, the built
 * index.html otherwise.
 *
 * [Note: Trusted sender] IPC handlers answer only frames showing our renderer: the same origin
 * as the dev server, or the very index.html file we loaded. Anything else (a page reached by a
 * navigation that slipped through, an iframe of another origin) is refused.
 */
export interface RendererLocation {
  load(window: BrowserWindow): Promise<void>;
  isTrustedSender(frame: WebFrameMain | null): boolean;
}

export function rendererLocation(options: {
  indexHtml: string;
  devServerUrl: string | undefined;
}): RendererLocation {
  const { devServerUrl, indexHtml } = options;
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return {
      load: (window) => window.loadURL(devServerUrl),
      isTrustedSender: (frame) => frame !== null && sameOrigin(frame.url, origin),
    };
  }
  const indexUrl = pathToFileURL(indexHtml);
  return {
    load: (window) => window.loadFile(indexHtml),
    isTrustedSender: (frame) => frame !== null && isFile(frame.url, indexUrl),
  };
}

function sameOrigin(url: string, origin: string): boolean {
  return URL.canParse(url) && new URL(url).origin === origin;
}

function isFile(url: string, file: URL): boolean {
  return (
    URL.canParse(url) &&
    new URL(url).protocol === 'file:' &&
    new URL(url).pathname === file.pathname
  );
}
