import { open, readFile, rm } from 'node:fs/promises';
import { isProcessAlive } from './process-alive';

export class FileLockHeld extends Error {
  constructor(readonly holderPid: number) {
    super(`held by process ${holderPid}`);
    this.name = 'FileLockHeld';
  }
}

/**
 * An exclusive lock on `lockPath` for one writer of a file that must not have two (a model
 * download's `.part`). The lock file holds the owner's pid and is created with O_EXCL; a lock
 * whose pid no longer runs (a kill, a crash) is taken over, so nothing stays stuck. Throws
 * FileLockHeld when a live process holds it. Returns the release function.
 */
export async function acquireFileLock(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder))
      throw new FileLockHeld(holder);
    await rm(lockPath, { force: true }); // left by a process that is gone: take it over
  }
}
