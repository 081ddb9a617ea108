/**
 * [Note: Drags that start in the window] Dragging a photo out is an operating-system drag of its
 * file ([Note: Photos leave by id]), so while it crosses the window it looks like any file dragged
 * in. The window's drop-to-search ignores it (no drop target, no overlay): the drag is marked when a
 * cell starts it, and the mark is cleared when the pointer or keyboard is used in the window again (during a system drag the page gets no mouse or key events, so the first one means
 * the drag is over). The listeners are added once main has started the drag, so the mouse moves
 * of the gesture itself do not clear it.
 */
let dragging = false;
let stopWatching = (): void => undefined;

export function isInternalDrag(): boolean {
  return dragging;
}

export function startInternalDrag(): void {
  stopWatching();
  dragging = true;
}

/** Called once main started the drag: from now on, the next pointer or key use ends it. */
export function watchForDragEnd(): void {
  stopWatching();
  const end = (): void => endInternalDrag();
  for (const type of ENDS) window.addEventListener(type, end, true);
  stopWatching = () => {
    for (const type of ENDS) window.removeEventListener(type, end, true);
    stopWatching = () => undefined;
  };
}

/** Clears the mark at once (a drag main refused). */
export function endInternalDrag(): void {
  stopWatching();
  dragging = false;
}

const ENDS = ['mousemove', 'pointerdown', 'keydown'] as const;
