import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'electron-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core';
import { DROPPED_FOLDERS_CHANNEL } from '../../src-main/electron/dropped-folders';
import { commandNames, shellCommandNames } from '../../src-main/shared/contract';
import { writeColourLibrary } from '../fixtures/colour-library';
import { hasShared } from '../fixtures/shared-data';
import { buildSyntheticModel, SYNTHETIC_TOKENIZER_PARTS } from '../fixtures/synthetic-model';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const harness = fileURLToPath(new URL('./run-built-app.ts', import.meta.url));

/**
 * [Note: Electron smoke test] No Electron binary runs here (TOOLCHAIN.md), so the app's glue is
 * checked by building it with electron-vite exactly as for release and running the built main
 * and preload bundles on Node, with `electron` resolved to a recording stub (stub-electron.ts).
 * The core host is the built one, in a worker thread, over an indexed synthetic-colour library:
 * a command from the preload's bridge goes through IPC validation, the RPC and the real core.
 */
describe.skipIf(!hasShared(...SYNTHETIC_TOKENIZER_PARTS))(
  'electron glue, built and smoke-run on Node',
  () => {
    let work: string;
    let outDir: string;
    let report: Record<string, unknown>;
    let photoPath: string;
    let photoId: number;
    let unplugged: string;

    beforeAll(async () => {
      // Inside the project, so the bundles resolve node_modules (zod, better-sqlite3 …) as in the app.
      await mkdir(path.join(projectRoot, '.cache'), { recursive: true });
      outDir = await mkdtemp(path.join(projectRoot, '.cache', 'electron-smoke-'));
      work = await mkdtemp(path.join(os.tmpdir(), 'photoseek-smoke-'));
      await build({
        configFile: path.join(projectRoot, 'electron.vite.config.ts'),
        build: { outDir },
        logLevel: 'warn',
      });

      const library = path.join(work, 'library');
      const dataDir = path.join(work, 'data');
      const [firstPhoto] = await writeColourLibrary(library);
      photoPath = firstPhoto!;
      await buildSyntheticModel(path.join(work, 'model'));
      const core = createCore({ dataDir });
      await core.models.add(path.join(work, 'model'));
      await core.addFolder(library);
      // A library folder on a drive that is no longer plugged in: the host's scans report it.
      unplugged = path.join(work, 'usb-stick');
      await mkdir(unplugged);
      await core.addFolder(unplugged);
      await core.index();
      await rm(unplugged, { recursive: true });
      photoId = core.photoIdForFile(photoPath)!;
      await core.dispose();
      const outside = path.join(work, 'outside.sh');
      await writeFile(outside, '#!/bin/sh\necho not a photo\n');
      await mkdir(path.join(work, 'user-data'));
      await mkdir(path.join(work, 'picked'));
      await mkdir(path.join(work, 'dropped'));

      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', harness], {
        cwd: projectRoot,
        env: {
          ...process.env,
          SMOKE_OUT_DIR: outDir,
          STUB_USER_DATA: path.join(work, 'user-data'),
          PHOTOSEEK_DATA_DIR: dataDir,
          SMOKE_PHOTO_ID: String(photoId),
          SMOKE_PHOTO_PATH: photoPath,
          SMOKE_OUTSIDE_PATH: outside,
          SMOKE_PICKED_FOLDER: path.join(work, 'picked'),
          SMOKE_DROPPED_FOLDER: path.join(work, 'dropped'),
        },
        maxBuffer: 16 * 1024 * 1024,
      });
      const line = stdout.split('\n').find((text) => text.startsWith('SMOKE-REPORT '));
      if (!line) throw new Error(`the harness printed no report:\n${stdout}`);
      report = JSON.parse(line.slice('SMOKE-REPORT '.length)) as Record<string, unknown>;
    });

    afterAll(async () => {
      if (outDir) await rm(outDir, { recursive: true, force: true });
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('registers exactly one ipcMain handler per contract command and shell command', () => {
      expect([...(report['ipcChannels'] as string[])].sort()).toEqual(
        [...commandNames, ...shellCommandNames].sort(),
      );
      // The preload's own report of dropped folders ([Note: Dropped folders]).
      expect(report['ipcListenerChannels']).toEqual([DROPPED_FOLDERS_CHANNEL]);
    });

    it('opens the window sandboxed, context-isolated and without Node', () => {
      expect(report['webPreferences']).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
      });
      expect(
        path.normalize(String((report['webPreferences'] as { preload: string }).preload)),
      ).toBe(path.join(outDir, 'preload', 'preload.cjs'));
    });

    it('blocks navigation, new windows, webviews and permission requests', () => {
      expect(report['navigationPrevented']).toBe(true);
      expect(report['windowOpen']).toEqual({ action: 'deny' });
      expect(report['webviewPrevented']).toBe(true);
      expect(report['permissionGranted']).toBe(false);
    });

    it('registers the app and photo schemes as privileged before the app is ready, and serves them after', () => {
      const log = report['log'] as string[];
      expect(log.indexOf('registerSchemesAsPrivileged')).toBeLessThan(log.indexOf('whenReady'));
      expect(log.indexOf('protocol.handle app')).toBeGreaterThan(log.indexOf('whenReady'));
      expect(log.indexOf('protocol.handle thumb')).toBeGreaterThan(log.indexOf('whenReady'));
      expect(
        (report['privilegedSchemes'] as { scheme: string }[]).map((entry) => entry.scheme),
      ).toEqual(['app', 'thumb', 'photo']);
    });

    it('loads the renderer from app://photoseek, serving its build folder and nothing else', () => {
      expect(report['windowUrl']).toBe('app://photoseek/index.html');
      const statuses = report['protocolStatuses'] as Record<string, number>;
      expect(statuses['app://photoseek/index.html']).toBe(200);
      expect(report['appIndexHasCsp']).toBe(true);
      for (const escape of [
        'app://photoseek/../main/main.js',
        'app://photoseek/%2e%2e/main/main.js',
        'app://photoseek/..%2F..%2Fpackage.json',
        'app://elsewhere/index.html',
      ]) {
        expect(statuses[escape], escape).toBe(404);
      }
    });

    it('exposes exactly the bridge: one function per command, on(), the photo URLs, pathForFile', () => {
      expect(report['exposedKeys']).toEqual(['photoseek']);
      expect([...(report['bridgeKeys'] as string[])].sort()).toEqual([
        'core',
        'on',
        'pathForFile',
        'photoUrl',
        'shell',
        'thumbnailUrl',
      ]);
      expect(report['bridgeCoreKeys']).toEqual(commandNames);
      expect(report['bridgeShellKeys']).toEqual(shellCommandNames);
      expect(report['thumbnailUrl']).toBe('thumb://local/7');
      expect(report['photoUrl']).toBe('photo://local/7');
      // Sandboxed preloads can require nothing but electron: everything else is bundled in.
      expect(report['preloadRequires']).toEqual(['electron']);
    });

    it('bundles no validation library into the preload ([Note: Validated once, in main])', async () => {
      const preload = await readFile(path.join(outDir, 'preload', 'preload.cjs'), 'utf8');
      expect(preload).toContain('library.status');
      expect(preload).not.toMatch(/ZodType|prettifyError|safeParse/);
    });

    it('carries commands from the bridge through main and the core host to the real core', () => {
      expect(report['status']).toMatchObject({ photos: 10, embedded: 10 });
      // The core's global progress events, each once: one run, one 'done'.
      expect(report['progressPhasesSeenByRenderer']).toContain('scanning');
      expect(
        (report['progressPhasesSeenByRenderer'] as string[]).filter((phase) => phase === 'done'),
      ).toHaveLength(1);
    });

    it('pauses and resumes indexing through the bridge', () => {
      expect(report['statusWhilePaused']).toMatchObject({ paused: true, queued: 0 });
      expect(report['statusAfterResume']).toMatchObject({ paused: false, queued: 0 });
    });

    it('forwards the core’s notices to the renderer, from the run the host starts by itself', () => {
      const notices = report['noticesOfStartupRun'] as string[];
      expect(notices).toEqual([expect.stringContaining(unplugged)]);
      expect(notices[0]).toMatch(/offline/);
    });

    it('validates arguments in main and rejects with the error as data', () => {
      expect(report['badArgument']).toMatchObject({ name: 'PhotoseekError', code: 'BAD_ARGUMENT' });
      expect(String((report['badArgument'] as { message: string }).message)).toMatch(
        /^Invalid arguments for search\.text: /,
      );
    });

    it('refuses IPC from any frame that is not the app’s renderer', () => {
      expect(report['untrustedSender']).toMatch(
        /^Refused search\.text from https:\/\/example\.com\//,
      );
      expect(report['closedFrame']).toMatch(/^Refused search\.text/);
    });

    it('serves thumb:// and photo:// for indexed photo ids only', async () => {
      const statuses = report['protocolStatuses'] as Record<string, number>;
      const {
        [`thumb://local/${photoId}`]: thumbnail,
        [`photo://local/${photoId}`]: original,
        ...others
      } = statuses;
      expect([thumbnail, original]).toEqual([200, 200]);
      const photoProbes = Object.entries(others).filter(([url]) => !url.startsWith('app:'));
      expect(photoProbes).toHaveLength(11);
      expect(new Set(photoProbes.map(([, status]) => status))).toEqual(new Set([404]));
      expect(report['photoBytesMatch']).toBe(true);
      expect(report['thumbnailStartsLikeJpeg']).toBe(true);
    });

    it('opens only files of indexed photos', () => {
      expect(report['openOutside']).toMatchObject({ code: 'BAD_ARGUMENT' });
      expect(report['openedPaths']).toEqual([photoPath]);
      expect(report['pickFolderCancelled']).toBeNull();
    });

    it('adds only a folder the user chose: in the folder dialog or dropped on the window', () => {
      expect(report['neverChosenFolder']).toMatchObject({
        code: 'BAD_ARGUMENT',
        message: `${path.join(work, 'picked')} was not chosen as a photo folder. Choose the folder with Add folder… or drop it on the window.`,
      });
      expect(report['pickedFolderAdded']).toBe(path.join(work, 'picked'));
      expect(report['droppedFolderAdded']).toBe(path.join(work, 'dropped'));
      expect(report['pathOfDroppedFolder']).toBe(path.join(work, 'dropped'));
    });

    it('restarts the core host after a crash and answers again', () => {
      expect(report['hostsStarted']).toBe(2);
      expect(report['statusAfterHostCrash']).toMatchObject({ photos: 10 });
    });

    it('builds the renderer page with a strict Content Security Policy', async () => {
      const html = await readFile(path.join(outDir, 'renderer', 'index.html'), 'utf8');
      const policy =
        /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
      expect(policy).toMatch(/img-src [^;]*thumb:[^;]*photo:/);
    });
  },
);
