/**
 * "Skip to results": the first Tab stop, hidden until it has the focus (WCAG 2.4.1 Bypass
 * Blocks). It jumps over the search bar and the library panel to the grid or the open view.
 */
export function SkipLink({ onSkip }: { onSkip: () => void }) {
  return (
    <a
      className="skip-link"
      href="#content"
      onClick={(event) => {
        event.preventDefault();
        onSkip();
      }}
    >
      Skip to results
    </a>
  );
}

/** The first control inside `root` that Tab would reach. */
export function firstFocusable(root: HTMLElement | null): HTMLElement | null {
  return (
    root?.querySelector<HTMLElement>(
      'a[href], button:not(:disabled), input:not(:disabled), select, textarea, [tabindex="0"]',
    ) ?? null
  );
}
