import { useEffect, useEffectEvent } from 'react';

export interface GlobalShortcuts {
  /** "/" anywhere outside a text field. */
  onFocusSearch: () => void;
  /** Escape anywhere, text fields included. */
  onEscape: () => void;
}

/** Window-wide keys; keys that belong to one widget (arrows in the grid) stay with that widget. */
export function useGlobalShortcuts(shortcuts: GlobalShortcuts): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.key === 'Escape') {
      shortcuts.onEscape();
    } else if (event.key === '/' && !isTextEntry(event.target)) {
      event.preventDefault();
      shortcuts.onFocusSearch();
    }
  });
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return (
    target instanceof HTMLInputElement &&
    !['range', 'checkbox', 'radio', 'button'].includes(target.type)
  );
}
