import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type {
  FolderWatcherEvents,
  WatcherHandle,
} from '../../src-main/core/library/folder-watcher';
import { watchFolder } from '../../src-main/core/library/folder-watcher';

/** A stand-in for chokidar that can raise the errors a system limit produces. */
class FakeWatcher extends EventEmitter {
  closed = false;
  constructor(readonly usePolling: boolean) {
    super();
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function setup(): { started: FakeWatcher[]; notices: string[]; stop: () => Promise<void> } {
  const started: FakeWatcher[] = [];
  const notices: string[] = [];
  const events: FolderWatcherEvents = {
    onChange: () => undefined,
    onRootGone: () => undefined,
    onNotice: (message) => notices.push(message),
  };
  const stop = watchFolder('/photos', events, (_root, _events, usePolling) => {
    const watcher = new FakeWatcher(usePolling);
    started.push(watcher);
    return watcher as unknown as WatcherHandle;
  });
  return { started, notices, stop };
}

describe('folder watcher fallback', () => {
  it.each(['EMFILE', 'ENOSPC'])('switches to polling with a visible notice on %s', async (code) => {
    const { started, notices, stop } = setup();
    started[0]!.emit('error', Object.assign(new Error('too many'), { code }));
    expect(started.map((watcher) => watcher.usePolling)).toEqual([false, true]);
    expect(started[0]!.closed).toBe(true);
    expect(notices).toEqual([
      expect.stringMatching(new RegExp(`Watching /photos by polling.*${code}`)),
    ]);
    await stop();
    expect(started[1]!.closed).toBe(true);
  });

  it('ignores other errors and does not fall back twice', () => {
    const { started, notices } = setup();
    started[0]!.emit('error', Object.assign(new Error('gone'), { code: 'EACCES' }));
    expect(started).toHaveLength(1);
    started[0]!.emit('error', Object.assign(new Error('limit'), { code: 'EMFILE' }));
    started[1]!.emit('error', Object.assign(new Error('limit'), { code: 'EMFILE' }));
    expect(started).toHaveLength(2);
    expect(notices).toHaveLength(1);
  });
});
