import type { BrowserWindow, WebFrameMain } from 'electron';
import { APP_INDEX_URL, APP_ORIGIN } from './app-protocol';

/**
 * Where the renderer is loaded from: the electron-vite dev server in development, the built
 * renderer at app://photoseek/ otherwise ([Note: The app:// origin]).
 *
 * [Note: Trusted sender] IPC handlers answer only frames showing our renderer: the origin of the
 * dev server, or app://photoseek. Anything else (a page reached by a navigation that slipped
 * through, an iframe of another origin, a file:// page) is refused.
 */
export interface RendererLocation {
  load(window: BrowserWindow): Promise<void>;
  isTrustedSender(frame: WebFrameMain | null): boolean;
}

export function rendererLocation(devServerUrl: string | undefined): RendererLocation {
  const url = devServerUrl ?? APP_INDEX_URL;
  const origin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
  return {
    load: (window) => window.loadURL(url),
    isTrustedSender: (frame) => frame !== null && sameOrigin(frame.url, origin),
  };
}

/** Scheme and host (and port): WHATWG's URL gives `null` as the origin of app:// URLs. */
function sameOrigin(url: string, origin: string): boolean {
  if (!URL.canParse(url)) return false;
  const [actual, expected] = [new URL(url), new URL(origin)];
  return actual.protocol === expected.protocol && actual.host === expected.host;
}
