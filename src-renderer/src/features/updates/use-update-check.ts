import { useCallback, useEffect, useRef, useState } from 'react';
import type { UpdateCheckState } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import type { Notify } from '../notices/use-notice';

/** How often the window asks main; main itself asks the server at most once a day. */
const ASK_MAIN_EVERY_MS = 60 * 60 * 1000;

/**
 * The opt-in update check ([Note: Opt-in update check], in main): its setting, and a notice with
 * a Download link once when a newer version is found.
 */
export function useUpdateCheck(notify: Notify) {
  const { shell } = useBridge();
  const [state, setState] = useState<UpdateCheckState | null>(null);
  const announced = useRef<string | null>(null);

  const openUpdatePage = useCallback(() => {
    shell['shell.openUpdatePage']().catch((error: unknown) =>
      notify({
        kind: 'error',
        message: `Could not open the download page: ${errorMessage(error)}`,
      }),
    );
  }, [shell, notify]);

  const show = useCallback(
    (next: UpdateCheckState) => {
      setState(next);
      const version = next.available?.version ?? null;
      if (version && announced.current !== version) {
        notify({
          kind: 'info',
          message: `Photoseek ${version} is available (you have ${next.currentVersion}).`,
          action: { label: 'Download', run: openUpdatePage },
        });
      }
      announced.current = version;
    },
    [notify, openUpdatePage],
  );

  useEffect(() => {
    const ask = () =>
      void shell['shell.updateCheck']().then(show, (error: unknown) =>
        console.warn('The update check could not be read:', errorMessage(error)),
      );
    ask();
    const timer = setInterval(ask, ASK_MAIN_EVERY_MS);
    return () => clearInterval(timer);
  }, [shell, show]);

  const setEnabled = useCallback(
    (enabled: boolean) => {
      shell['shell.setUpdateCheck'](enabled).then(show, (error: unknown) =>
        notify({
          kind: 'error',
          message: `Could not change the update check: ${errorMessage(error)}`,
        }),
      );
    },
    [shell, show, notify],
  );

  return { state, setEnabled, openUpdatePage };
}
