import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createRequire, registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PhotoseekBridge } from '../../src-main/shared/contract';
import type * as StubElectron from './stub-electron';

/**
 * Runs the electron-vite build of main and preload on Node with `electron` resolved to
 * stub-electron.ts, drives it the way the window would, and prints what it saw as one JSON line
 * (`SMOKE-REPORT {...}`) for smoke.test.ts to judge. Started by the test with `--import tsx`.
 *
 * env: SMOKE_OUT_DIR (the build), STUB_USER_DATA, PHOTOSEEK_DATA_DIR (an indexed library, one of
 * whose folders is missing), SMOKE_PHOTO_ID and SMOKE_PHOTO_PATH (one indexed photo),
 * SMOKE_OUTSIDE_PATH (a file outside it), SMOKE_PICKED_FOLDER and SMOKE_DROPPED_FOLDER (two empty
 * folders outside the library, for the folder dialog and a drop).
 */
const env = (name: string): string => process.env[name] ?? raise(`${name} is not set`);
const outDir = env('SMOKE_OUT_DIR');
const preloadFile = path.join(outDir, 'preload', 'preload.cjs');
const stubUrl = new URL('./stub-electron.ts', import.meta.url).href;
const preloadRequires: string[] = [];

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (context.parentURL === pathToFileURL(preloadFile).href) preloadRequires.push(specifier);
    if (specifier === 'electron') return { url: stubUrl, format: 'module', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

const { firstWindow, recorder, app, stubWindow, fileOnDisk, folderDrop } = (await import(
  stubUrl
)) as typeof StubElectron;
await import(pathToFileURL(path.join(outDir, 'main', 'main.js')).href);
const window = await firstWindow;
const contents = window.webContents;

const pageWindow = stubWindow();
(globalThis as { window?: unknown }).window = pageWindow;
createRequire(import.meta.url)(preloadFile);
const bridge = recorder.exposedInMainWorld.get('photoseek') as PhotoseekBridge;

// Subscribed at once, before the core host has loaded: the host goes live when it starts, and the
// renderer sees that start-up run and its notices without asking for them.
const notices: string[] = [];
bridge.on('library.notice', ({ message }) => notices.push(message));
const startupRunDone = new Promise<void>((resolve) =>
  bridge.on('index.progress', (progress) => progress.phase === 'done' && resolve()),
);

const report: Record<string, unknown> = {};
report['ipcChannels'] = [...recorder.ipcHandlers.keys()];
report['ipcListenerChannels'] = [...recorder.ipcListeners.keys()];
report['privilegedSchemes'] = recorder.privilegedSchemes;
report['webPreferences'] = window.options.webPreferences;
report['windowUrl'] = contents.url;
report['preloadRequires'] = preloadRequires;
report['exposedKeys'] = [...recorder.exposedInMainWorld.keys()];
report['bridgeKeys'] = Object.keys(bridge);
report['bridgeCoreKeys'] = Object.keys(bridge.core);
report['bridgeShellKeys'] = Object.keys(bridge.shell);
report['thumbnailUrl'] = bridge.thumbnailUrl(7);
report['photoUrl'] = bridge.photoUrl(7);

const navigation = {
  defaultPrevented: false,
  preventDefault: () => (navigation.defaultPrevented = true),
};
contents.emit('will-navigate', navigation, 'https://example.com/');
report['navigationPrevented'] = navigation.defaultPrevented;
const webview = {
  defaultPrevented: false,
  preventDefault: () => (webview.defaultPrevented = true),
};
contents.emit('will-attach-webview', webview, {}, {});
report['webviewPrevented'] = webview.defaultPrevented;
report['windowOpen'] = contents.windowOpenHandler?.({ url: 'https://example.com/' });
report['permissionGranted'] = await new Promise((resolve) =>
  recorder.permissionRequestHandler?.(contents, 'media', resolve),
);

report['status'] = await bridge.core['library.status']();
report['badArgument'] = await bridge.core['search.text']('', {}).catch((error: unknown) => error);
const searchHandler = recorder.ipcHandlers.get('search.text')!;
report['untrustedSender'] = await Promise.resolve(
  searchHandler({ senderFrame: { url: 'https://example.com/' } }, 'red', {}),
).then(
  () => 'answered',
  (error: Error) => error.message,
);
report['closedFrame'] = await Promise.resolve(searchHandler({ senderFrame: null }, 'red', {})).then(
  () => 'answered',
  (error: Error) => error.message,
);

const photoId = Number(env('SMOKE_PHOTO_ID'));
const probes = [
  `thumb://local/${photoId}`,
  `photo://local/${photoId}`,
  'thumb://local/999999',
  'photo://local/999999',
  'thumb://local/0',
  'thumb://local/abc',
  'thumb://local/1.5',
  `thumb://local/${photoId}/../../../../etc/passwd`,
  'photo://local/..%2F..%2F..%2Fetc%2Fpasswd',
  'photo://local/%2e%2e/%2e%2e/etc/passwd',
  `thumb://local/0${photoId}`,
  `photo://elsewhere/${photoId}`,
  `thumb://local/${photoId}?path=/etc/passwd`,
  'app://photoseek/index.html',
  'app://photoseek/../main/main.js',
  'app://photoseek/%2e%2e/main/main.js',
  'app://photoseek/..%2F..%2Fpackage.json',
  'app://elsewhere/index.html',
];
const statuses: Record<string, number> = {};
for (const url of probes) {
  const scheme = url.slice(0, url.indexOf(':'));
  const response = await recorder.protocolHandlers.get(scheme)!(new Request(url));
  statuses[url] = response.status;
  if (url === `photo://local/${photoId}`) {
    report['photoBytesMatch'] = Buffer.from(await response.arrayBuffer()).equals(
      await readFile(env('SMOKE_PHOTO_PATH')),
    );
  }
  if (url === 'app://photoseek/index.html') {
    report['appIndexHasCsp'] = (await response.text()).includes('Content-Security-Policy');
  }
  if (url === `thumb://local/${photoId}`) {
    report['thumbnailStartsLikeJpeg'] = Buffer.from(await response.arrayBuffer())
      .subarray(0, 2)
      .equals(Buffer.from([0xff, 0xd8]));
  }
}
report['protocolStatuses'] = statuses;

await startupRunDone;
report['noticesOfStartupRun'] = [...notices];
const phases: string[] = [];
const unsubscribe = bridge.on('index.progress', (progress) => phases.push(progress.phase));
await bridge.core['index.start']();
unsubscribe();
await bridge.core['index.start']();
report['progressPhasesSeenByRenderer'] = phases;

await bridge.core['index.pause']();
report['statusWhilePaused'] = await bridge.core['library.status']();
await bridge.core['index.resume']();
report['statusAfterResume'] = await bridge.core['library.status']();

report['openOutside'] = await bridge.shell['shell.openPath'](env('SMOKE_OUTSIDE_PATH')).catch(
  (error: unknown) => error,
);
await bridge.shell['shell.openPath'](env('SMOKE_PHOTO_PATH'));
report['openedPaths'] = recorder.openedPaths;
report['pickFolderCancelled'] = await bridge.shell['shell.pickFolder']();

// folders.add takes a folder the user chose: none yet, then one from the dialog and one dropped.
const picked = env('SMOKE_PICKED_FOLDER');
const dropped = env('SMOKE_DROPPED_FOLDER');
const folderAdded = (folder: string): Promise<unknown> =>
  bridge.core['folders.add'](folder).then(
    (added) => added.path,
    (error: unknown) => error,
  );
report['neverChosenFolder'] = await folderAdded(picked);
recorder.pickedFolder = picked;
await bridge.shell['shell.pickFolder']();
report['pickedFolderAdded'] = await folderAdded(picked);
pageWindow.dropListeners.forEach((listener) => listener(folderDrop([fileOnDisk(dropped)])));
report['droppedFolderAdded'] = await folderAdded(dropped);
report['pathOfDroppedFolder'] = bridge.pathForFile(fileOnDisk(dropped));

// A crash of the core host: main starts a new one and the next call is answered by it.
const firstHost = recorder.hosts[0]!;
const exited = once(firstHost, 'exit');
await firstHost.worker.terminate();
await exited;
report['statusAfterHostCrash'] = await bridge.core['library.status']();
report['hostsStarted'] = recorder.hosts.length;

app.emit('will-quit');
report['log'] = recorder.log;
console.log(`SMOKE-REPORT ${JSON.stringify(report)}`);
process.exit(0);

function raise(message: string): never {
  throw new Error(message);
}
