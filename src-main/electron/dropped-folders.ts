/**
 * [Note: Dropped folders] A folder dropped on the window may be added to the library
 * ([Note: Folders the user chose]), so main must learn which folders the user dropped from
 * something the page's script cannot forge. The preload (its own isolated world, before any page
 * script runs) listens for `drop` on the window in the capture phase and sends main the folders'
 * paths on DROPPED_FOLDERS_CHANNEL. Two checks make that report the user's act and not the
 * page's:
 * - `event.isTrusted`: only a drop made by the browser counts; a DragEvent dispatched by script
 *   is never trusted, so a page cannot replay a File it kept from an earlier drop.
 * - `webUtils.getPathForFile`: a path comes only from a File backed by a file on disk; a File
 *   built by script (`new File([], '/etc')`) has the path '' and is left out.
 * Only folders are reported (their directory entry says so); dropped files are searched by their
 * bytes ([Note: Dropped images]) and need no grant. The channel is the preload's, not the
 * bridge's: page script has no ipcRenderer ([Note: Renderer sandbox]), so it cannot send it.
 * Left open: a renderer whose process itself is taken over (native code, not script) can send
 * any IPC message, this one too; the folder dialog (`shell.pickFolder`) runs in main and stays
 * trustworthy even then.
 * Pure: imported by the preload (sandboxed) and by main.
 */
export const DROPPED_FOLDERS_CHANNEL = 'drop.folders';

/** A drop is a few folders; main reads no more than this many from one. */
export const MAX_DROPPED_FOLDERS = 100;

/** What the preload reads of a drop event (the Electron code compiles without the DOM's types). */
export interface FolderDropEvent {
  readonly isTrusted: boolean;
  readonly dataTransfer: { readonly items: ArrayLike<DroppedItem> } | null;
}

interface DroppedItem {
  readonly kind: string;
  getAsFile(): File | null;
  webkitGetAsEntry(): { readonly isDirectory: boolean } | null;
}

/** The paths of the folders that a drop by the user carried; none for a drop made by script. */
export function droppedFolderPaths(
  event: FolderDropEvent,
  pathForFile: (file: File) => string,
): string[] {
  if (!event.isTrusted || !event.dataTransfer) return [];
  const paths: string[] = [];
  for (const item of Array.from(event.dataTransfer.items)) {
    const isFolder = item.kind === 'file' && item.webkitGetAsEntry()?.isDirectory === true;
    const file = isFolder ? item.getAsFile() : null;
    const folder = file ? pathForFile(file) : '';
    if (folder !== '') paths.push(folder);
  }
  return paths.slice(0, MAX_DROPPED_FOLDERS);
}
