import { useEffect, useSyncExternalStore } from 'react';
import { useStoredState } from '../../hooks/use-stored-state';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const darkQuery = '(prefers-color-scheme: dark)';

function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

function subscribeToSystemTheme(onChange: () => void): () => void {
  const query = window.matchMedia(darkQuery);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function systemTheme(): Theme {
  return window.matchMedia(darkQuery).matches ? 'dark' : 'light';
}

/**
 * [Note: Themes] The page follows the system (prefers-color-scheme) until the user picks a theme
 * with the toggle; the choice is remembered. The stylesheet defines every colour once with CSS
 * `light-dark()`, so a theme is only a `color-scheme`, set here through `data-theme`.
 */
export function useTheme(): { theme: Theme; setTheme: (theme: Theme) => void } {
  const [choice, setChoice] = useStoredState<ThemeChoice>(
    'photoseek.theme',
    'system',
    isThemeChoice,
  );
  const system = useSyncExternalStore(subscribeToSystemTheme, systemTheme);
  const theme = choice === 'system' ? system : choice;
  useEffect(() => {
    if (choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = choice;
  }, [choice]);
  return { theme, setTheme: setChoice };
}
