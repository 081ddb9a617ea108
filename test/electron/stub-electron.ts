import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A stand-in for the `electron` module, good enough to run the built main process and preload on
 * plain Node (no Electron binary can run here, see TOOLCHAIN.md). It records what the app asks
 * of Electron, and wires the two halves together the way Electron would: ipcRenderer.invoke calls
 * the ipcMain handler, webContents.send reaches ipcRenderer listeners, and a utility process is a
 * worker thread running the built core host. ipcRenderer.send reaches ipcMain.on listeners, the
 * folder dialog answers what a test sets, and webUtils knows the paths of the Files that
 * `fileOnDisk` made, as Electron knows those of dropped files.
 */
type IpcHandler = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown;
type IpcListener = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => void;

function createSharedState() {
  return {
    recorder: {
      /** Calls in order, to check what happens before the app is ready. */
      log: [] as string[],
      ipcHandlers: new Map<string, IpcHandler>(),
      ipcListeners: new Map<string, IpcListener[]>(),
      protocolHandlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
      privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
      windows: [] as StubBrowserWindow[],
      exposedInMainWorld: new Map<string, unknown>(),
      permissionRequestHandler: undefined as
        | undefined
        | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
      hosts: [] as StubUtilityProcess[],
      openedPaths: [] as string[],
      trashed: [] as string[],
      shownInFolder: [] as string[],
      /** Pages opened in the browser (shell.openExternal). */
      openedUrls: [] as string[],
      /** What the folder dialog answers; null: the user cancels it. */
      pickedFolder: null as string | null,
      /** The title of every open dialog shown, oldest first. */
      dialogTitles: [] as (string | undefined)[],
      /** What the open-file dialog answers; null: the user cancels it. */
      chosenFile: null as string | null,
      /** The options of every open dialog shown, in order. */
      openDialogs: [] as Record<string, unknown>[],
      /** What was put on the clipboard, in order: text as it is, an image as its PNG bytes. */
      clipboard: [] as ({ text: string } | { png: Buffer })[],
      /** Every drag started out of a window (webContents.startDrag). */
      drags: [] as { file: string; icon: StubNativeImage }[],
      /** The paths of Files backed by a file on disk (see fileOnDisk). */
      filePaths: new WeakMap<File, string>(),
    },
    /** ipcRenderer's side of the IPC: webContents.send emits here. */
    rendererSide: new EventEmitter(),
  };
}

/**
 * [Note: One stub for ESM and CJS] The built main is an ES module and the preload CommonJS; under
 * tsx they load this file as two module instances. What both sides touch lives on globalThis.
 */
const shared = ((
  globalThis as { photoseekStubElectron?: ReturnType<typeof createSharedState> }
).photoseekStubElectron ??= createSharedState());

export const recorder = shared.recorder;
const rendererSide = shared.rendererSide;

let windowCreated: (window: StubBrowserWindow) => void = () => undefined;
export const firstWindow = new Promise<StubBrowserWindow>((resolve) => (windowCreated = resolve));

class StubWebContents extends EventEmitter {
  url = '';
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    rendererSide.emit(channel, { sender: 'main' }, structuredClone(payload));
  }

  startDrag(item: { file: string; icon: StubNativeImage }): void {
    recorder.drags.push(item);
  }
}

/**
 * A nativeImage that knows PNG and JPEG files by their signature (as Electron's decodes those on
 * every system) and is empty for anything else; toPNG gives back a PNG's own bytes, and a JPEG's
 * bytes behind a PNG signature, enough to tell in a test which image reached the clipboard.
 */
class StubNativeImage {
  constructor(
    readonly bytes: Buffer,
    readonly path: string | null = null,
  ) {}

  static decodes(bytes: Buffer): boolean {
    const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const jpeg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
    return png || jpeg;
  }

  isEmpty(): boolean {
    return !StubNativeImage.decodes(this.bytes);
  }

  toPNG(): Buffer {
    if (this.isEmpty()) return Buffer.alloc(0);
    const isPng = this.bytes[0] === 0x89;
    return isPng ? this.bytes : Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), this.bytes]);
  }
}

export const nativeImage = {
  createEmpty: () => new StubNativeImage(Buffer.alloc(0)),
  createFromBuffer: (buffer: Buffer) => new StubNativeImage(Buffer.from(buffer)),
  createFromPath: (path: string) => {
    try {
      return new StubNativeImage(readFileSync(path), path);
    } catch {
      return new StubNativeImage(Buffer.alloc(0), path);
    }
  },
};

export class ClipboardItem {
  constructor(readonly items: Record<string, Blob>) {}
}

export const clipboard = {
  async writeText(text: string): Promise<void> {
    recorder.clipboard.push({ text });
  },
  async write(items: ClipboardItem[]): Promise<void> {
    for (const item of items) {
      const png = item.items['image/png'];
      if (png) recorder.clipboard.push({ png: Buffer.from(await png.arrayBuffer()) });
    }
  },
};

class StubBrowserWindow extends EventEmitter {
  readonly webContents = new StubWebContents();

  constructor(
    readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>,
  ) {
    super();
    recorder.log.push('new BrowserWindow');
    recorder.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    windowCreated(this);
  }

  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
  }

  getNormalBounds() {
    return { x: 10, y: 10, width: 1280, height: 820 };
  }

  isMaximized = (): boolean => false;
  isMinimized = (): boolean => false;
  maximize(): void {}
  restore(): void {}
  focus(): void {}
  show(): void {}
}

class StubUtilityProcess extends EventEmitter {
  readonly worker: Worker;

  constructor(modulePath: string, env: Record<string, string | undefined>) {
    super();
    this.worker = new Worker(modulePath, { env });
    this.worker.on('message', (message) => this.emit('message', message));
    this.worker.on('exit', (code) => this.emit('exit', code));
    this.worker.on('error', (error) => console.error('core host error:', error));
  }

  postMessage(message: unknown): void {
    this.worker.postMessage(message);
  }

  kill(): boolean {
    void this.worker.terminate();
    return true;
  }
}

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  requestSingleInstanceLock: () => (recorder.log.push('requestSingleInstanceLock'), true),
  whenReady: () => (recorder.log.push('whenReady'), Promise.resolve()),
  getPath: (name: string) => {
    if (name !== 'userData') throw new Error(`stub app.getPath(${name})`);
    return process.env['STUB_USER_DATA'] ?? '';
  },
  getAppPath: () => fileURLToPath(new URL('../..', import.meta.url)),
  getVersion: () => '0.1.0',
  quit: () => recorder.log.push('quit'),
});

export const BrowserWindow = StubBrowserWindow;

export const ipcMain = {
  handle(channel: string, handler: IpcHandler): void {
    if (recorder.ipcHandlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    recorder.ipcHandlers.set(channel, handler);
  },
  on(channel: string, listener: IpcListener): void {
    recorder.ipcListeners.set(channel, [...(recorder.ipcListeners.get(channel) ?? []), listener]);
  },
};

const rendererFrame = () => ({ url: recorder.windows[0]?.webContents.url ?? '' });

/** The renderer side: invoke and send as Electron does, from the window's frame, with cloned arguments. */
export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = recorder.ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(
      await handler({ senderFrame: rendererFrame() }, ...structuredClone(args)),
    );
  },
  send(channel: string, ...args: unknown[]): void {
    for (const listener of recorder.ipcListeners.get(channel) ?? []) {
      listener({ senderFrame: rendererFrame() }, ...structuredClone(args));
    }
  },
  on: (channel: string, listener: (...args: unknown[]) => void) =>
    rendererSide.on(channel, listener),
  removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
    rendererSide.removeListener(channel, listener),
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    recorder.exposedInMainWorld.set(key, api);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(
    schemes: { scheme: string; privileges: Record<string, boolean> }[],
  ): void {
    recorder.log.push('registerSchemesAsPrivileged');
    recorder.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    recorder.log.push(`protocol.handle ${scheme}`);
    recorder.protocolHandlers.set(scheme, handler);
  },
};

export const net = {
  async fetch(url: string): Promise<Response> {
    if (!url.startsWith('file:')) throw new Error(`stub net.fetch only reads files, not ${url}`);
    return new Response(await readFile(fileURLToPath(url)));
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: typeof recorder.permissionRequestHandler): void {
      recorder.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(): void {},
  },
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

export const Menu = {
  buildFromTemplate: (template: unknown) => template,
  setApplicationMenu: () => recorder.log.push('Menu.setApplicationMenu'),
};

/** Answers the folder dialog with pickedFolder, the file dialog with chosenFile. */
export const dialog = {
  /** (options) or (window, options), as Electron takes them. */
  showOpenDialog: async (...args: unknown[]) => {
    const options = args.at(-1) as { properties?: string[]; title?: string };
    recorder.openDialogs.push(options);
    recorder.dialogTitles.push(options.title);
    const answer = options.properties?.includes('openFile')
      ? recorder.chosenFile
      : recorder.pickedFolder;
    return answer === null
      ? { canceled: true, filePaths: [] }
      : { canceled: false, filePaths: [answer] };
  },
};

export const webUtils = {
  getPathForFile(file: File): string {
    if (!(file instanceof File)) throw new TypeError('getPathForFile takes a File.');
    return recorder.filePaths.get(file) ?? '';
  },
};

/** A File backed by the file or folder at `path`, like one a user drops (a script's File has no path). */
export function fileOnDisk(path: string): File {
  const file = new File([], path.slice(path.lastIndexOf('/') + 1));
  recorder.filePaths.set(file, path);
  return file;
}

/** A drop of these folders as Chromium hands it to the preload's listener; `isTrusted` false: dispatched by script. */
export function folderDrop(folders: readonly File[], isTrusted = true) {
  const items = folders.map((file) => ({
    kind: 'file',
    getAsFile: () => file,
    webkitGetAsEntry: () => ({ isDirectory: true }),
  }));
  return { isTrusted, dataTransfer: { items } };
}

/**
 * The window the preload runs in, as far as it listens to it: set it as the global `window`
 * before the preload loads, then hand its `drop` listeners what `folderDrop` makes.
 */
export function stubWindow() {
  const dropListeners: ((event: ReturnType<typeof folderDrop>) => void)[] = [];
  return {
    dropListeners,
    addEventListener(type: string, listener: (event: ReturnType<typeof folderDrop>) => void) {
      if (type === 'drop') dropListeners.push(listener);
    },
  };
}

export const shell = {
  showItemInFolder: (target: string) => void recorder.shownInFolder.push(target),
  openPath: async (target: string) => (recorder.openedPaths.push(target), ''),
  trashItem: async (target: string) => void recorder.trashed.push(target),
  openExternal: async (url: string) => void recorder.openedUrls.push(url),
};

export const utilityProcess = {
  fork(
    modulePath: string,
    _args: string[],
    options: { env?: Record<string, string | undefined> },
  ): StubUtilityProcess {
    const host = new StubUtilityProcess(modulePath, options.env ?? process.env);
    recorder.hosts.push(host);
    return host;
  },
};
