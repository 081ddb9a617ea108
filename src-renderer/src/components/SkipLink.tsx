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

const FOCUSABLE = ['a[href]', 'button:not(:disabled)', 'input:not(:disabled)', '[tabindex="0"]']
  .map((selector) => `${selector}:not([tabindex="-1"])`)
  .join(', ');

/** The first control Tab would reach in the open view: the tab panel's, when tabs are shown. */
export function firstFocusable(content: HTMLElement | null): HTMLElement | null {
  const view = content?.querySelector<HTMLElement>('[role="tabpanel"]') ?? content;
  return view?.querySelector<HTMLElement>(FOCUSABLE) ?? null;
}
