import os from 'node:os';
import path from 'node:path';

/**
 * [Note: Where data lives] Everything Photoseek writes is in one user data folder: the library
 * database (library.db), its thumbnails (library-thumbnails/) and the models (models/). The
 * folder is the platform's usual place, or PHOTOSEEK_DATA_DIR when set. The Electron app passes
 * `app.getPath('userData')`, which resolves to the same folders on each platform.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const override = env['PHOTOSEEK_DATA_DIR'];
  if (override) return path.resolve(override);
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Photoseek');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Photoseek');
  return path.join(env['XDG_DATA_HOME'] ?? path.join(home, '.local', 'share'), 'photoseek');
}

export function defaultDatabasePath(dataDir: string): string {
  return path.join(dataDir, 'library.db');
}

/** Thumbnails belong to one library database and sit beside it. */
export function thumbnailDirFor(databasePath: string): string {
  const parsed = path.parse(databasePath);
  return path.join(parsed.dir, `${parsed.name}-thumbnails`);
}
