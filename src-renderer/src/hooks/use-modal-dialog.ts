import { useLayoutEffect, useRef } from 'react';
import type { SyntheticEvent } from 'react';

/**
 * [Note: Real modals] The photo view and the failures drawer are `<dialog>` elements opened with
 * showModal(): the browser makes everything else inert, so Tab stays inside (it used to reach
 * the search box and the folders' Remove buttons behind the backdrop), screen readers see only
 * the dialog, and Escape fires `cancel`, which closes through the app's state instead of behind
 * its back. On close, focus returns to where it was when the dialog opened (the Review button,
 * the grid) unless the app moved it meanwhile; it never falls to <body>. Layout effects, so the
 * dialog is closed while it is still in the document.
 */
export function useModalDialog(onClose: () => void) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      dialog.close();
      const focusLost = document.activeElement === null || document.activeElement === document.body;
      if (focusLost && returnTo?.isConnected) returnTo.focus();
    };
  }, []);
  const onCancel = (event: SyntheticEvent) => {
    event.preventDefault();
    onClose();
  };
  return { dialogRef, onCancel };
}
