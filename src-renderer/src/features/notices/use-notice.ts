import { useCallback, useState } from 'react';

export interface NoticeAction {
  label: string;
  run: () => void;
}

export interface Notice {
  kind: 'info' | 'error';
  message: string;
  action?: NoticeAction;
}

export type Notify = (notice: Notice) => void;

/** One message at a time at the bottom of the window: the latest replaces the previous one. */
export function useNotice(): { notice: Notice | null; notify: Notify; dismiss: () => void } {
  const [notice, setNotice] = useState<Notice | null>(null);
  const dismiss = useCallback(() => setNotice(null), []);
  return { notice, notify: setNotice, dismiss };
}
