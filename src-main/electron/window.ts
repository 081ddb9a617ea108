import { BrowserWindow } from 'electron';
import type { WindowState } from './window-state';

/**
 * The main window. [Note: Renderer sandbox] The renderer is an untrusted web page: sandboxed,
 * context-isolated, no Node, web security on; it reaches the app only through the preload's
 * bridge. A packaged build has no DevTools (`devTools: false`): nothing a page or a user's
 * shortcut can open to run code in the renderer.
 */
export function createMainWindow(options: {
  preload: string;
  state: WindowState;
  devTools: boolean;
}): BrowserWindow {
  const window = new BrowserWindow({
    ...options.state.bounds,
    minWidth: 640,
    minHeight: 420,
    title: 'Photoseek',
    show: false,
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  if (options.state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  return window;
}
