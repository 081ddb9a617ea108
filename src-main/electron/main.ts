import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, screen, session, shell, utilityProcess } from 'electron';
import type { BrowserWindow } from 'electron';
import type { HostApi } from '../core/rpc/host-api';
import { startCoreHost } from './core-process';
import type { CoreHost } from './core-process';
import { registerIpcHandlers } from './ipc';
import { setApplicationMenu } from './menu';
import { serveRendererFiles } from './app-protocol';
import { registerAppSchemes, servePhotoProtocols } from './protocol';
import { rendererLocation } from './renderer-location';
import { denyPermissions, guardWebContents } from './security';
import { createShellActions } from './shell-actions';
import { createUpdateCheck, UPDATE_URL } from './update-check';
import { createMainWindow } from './window';
import { loadWindowState, rememberWindowState } from './window-state';

/**
 * The main process: thin glue between the window and the core host (DESIGN.md "Processes"),
 * written as a list of setup steps over plain functions. It never touches the library itself.
 */

/** Files of the electron-vite build, found from this bundle (out/main/main.js). */
const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = {
  preload: path.join(outDir, 'preload', 'preload.cjs'),
  coreHost: path.join(outDir, 'main', 'core-host.js'),
  rendererDir: path.join(outDir, 'renderer'),
};
/** Set by `electron-vite dev`; a packaged app always loads its own files. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const renderer = rendererLocation(devServerUrl);

let mainWindow: BrowserWindow | null = null;

if (setupSingleInstance()) {
  registerAppSchemes();
  void app.whenReady().then(setupApp);
}

function setupApp(): void {
  setupSecurity();
  const core = setupCoreHost();
  serveRendererFiles(bundle.rendererDir);
  servePhotoProtocols(core.api);
  setupIpc(core.api);
  setApplicationMenu();
  openMainWindow();
  setupLifecycle(core);
}

/** A second launch focuses the running app instead of opening the library twice. */
function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  return true;
}

/**
 * [Note: One CSP] The renderer's index.html carries the Content Security Policy ([Note: Renderer
 * CSP]); main sends no second policy as a header, since two policies both apply and would drift
 * apart. The smoke test checks that the built page has it.
 */
function setupSecurity(): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  denyPermissions(session.defaultSession);
}

/**
 * [Note: One library for app and CLI] The host gets no data folder, so the core uses its
 * default ([Note: Where data lives], or PHOTOSEEK_DATA_DIR): the app and the `photoseek` CLI open
 * the same library and models. Only the registry's location differs in a packaged app.
 */
function setupCoreHost(): CoreHost {
  const resourcesDir = app.isPackaged
    ? process.resourcesPath
    : path.join(app.getAppPath(), 'resources');
  return startCoreHost({
    spawn: () =>
      utilityProcess.fork(bundle.coreHost, [], {
        serviceName: 'Photoseek library',
        env: { ...process.env, PHOTOSEEK_RESOURCES_DIR: resourcesDir },
      }),
    onEvent: (event, payload) => mainWindow?.webContents.send(event, payload),
    onCrash: (code, restartInMs) =>
      console.error(`The core host exited with code ${code}; restarting in ${restartInMs} ms.`),
  });
}

function setupIpc(core: HostApi): void {
  registerIpcHandlers({
    core,
    shell: createShellActions(
      () => mainWindow,
      core,
      createUpdateCheck({
        url: UPDATE_URL,
        currentVersion: app.getVersion(),
        stateFile: path.join(app.getPath('userData'), 'update-check.json'),
        openExternal: (url) => shell.openExternal(url),
      }),
    ),
    isTrustedSender: (frame) => renderer.isTrustedSender(frame),
  });
}

function openMainWindow(): void {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = createMainWindow({ preload: bundle.preload, state, devTools: !app.isPackaged });
  rememberWindowState(window, stateFile);
  window.on('closed', () => (mainWindow = null));
  mainWindow = window;
  renderer
    .load(window)
    .catch((error: unknown) => console.error('The window could not load the app:', error));
}

function setupLifecycle(core: CoreHost): void {
  // macOS keeps the app running with no window; clicking the dock icon opens one again.
  app.on('activate', () => {
    if (!mainWindow) openMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => core.stop());
}
