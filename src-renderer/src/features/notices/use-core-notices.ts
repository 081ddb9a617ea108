import { useEffect } from 'react';
import { useBridge } from '../../api';
import type { Notify } from './use-notice';

/**
 * Shows the core's 'library.notice' events (a folder went offline or came back, a folder is
 * watched by polling) in the notice bar. They usually change a folder's state, so the library
 * status is read again too.
 */
export function useCoreNotices(notify: Notify, onNotice: () => void): void {
  const bridge = useBridge();
  useEffect(
    () =>
      bridge.on('library.notice', ({ message }) => {
        notify({ kind: 'info', message });
        onNotice();
      }),
    [bridge, notify, onNotice],
  );
}
