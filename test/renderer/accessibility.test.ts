import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { resultCells, screenshot, searchBox, useApp } from './app-page';
import type { OpenOptions } from './app-page';
import { accessibilityViolations } from './axe';
import type { ScenarioName } from './scenarios';

const app = useApp();

/** The app's important states, each reached as a user would. */
const states: {
  name: string;
  scenario: ScenarioName;
  reach: (page: Page) => Promise<void>;
}[] = [
  { name: 'first run', scenario: 'first-run', reach: async () => {} },
  { name: 'no folders yet', scenario: 'no-folders', reach: async () => {} },
  { name: 'library, nothing typed', scenario: 'library', reach: async () => {} },
  {
    name: 'search results',
    scenario: 'library',
    reach: async (page) => {
      await searchBox(page).fill('red');
      await expect.poll(() => resultCells(page).count()).toBeGreaterThan(0);
    },
  },
  {
    name: 'filters open, with chips',
    scenario: 'library',
    reach: async (page) => {
      await searchBox(page).fill('red -people');
      await page.getByRole('button', { name: 'Filters' }).click();
      await page.getByLabel('Camera', { exact: true }).selectOption('NIKON D750');
      await page.getByLabel('Location', { exact: true }).selectOption('with');
      await page.getByRole('button', { name: 'Clear filters' }).waitFor();
    },
  },
  {
    name: 'photo view',
    scenario: 'library',
    reach: async (page) => {
      await searchBox(page).fill('red');
      await resultCells(page).first().click();
      await page.getByRole('dialog').locator('.photo-facts').getByText('Size').waitFor();
    },
  },
  {
    name: 'no good match',
    scenario: 'library',
    reach: async (page) => {
      await searchBox(page).fill('zebra');
      await page.getByRole('heading', { name: 'No good match for “zebra”' }).waitFor();
    },
  },
  {
    name: 'photo view, zoomed in',
    scenario: 'library',
    reach: async (page) => {
      await searchBox(page).fill('red');
      await resultCells(page).first().click();
      await page.getByRole('button', { name: 'Zoom in' }).click();
      await page.getByText('1.5×').waitFor();
    },
  },
  {
    name: 'failures panel',
    scenario: 'library',
    reach: async (page) => {
      await page
        .getByRole('region', { name: 'Failures' })
        .getByRole('button', { name: 'Review' })
        .click();
      await page
        .getByRole('dialog', { name: 'Files that could not be indexed' })
        .getByRole('listitem')
        .first()
        .waitFor();
    },
  },
  {
    name: 'duplicates',
    scenario: 'duplicates',
    reach: async (page) => {
      await page.getByRole('tab', { name: 'Duplicates' }).click();
      await page.getByRole('listitem', { name: 'Same shot (3)' }).waitFor();
    },
  },
  {
    name: 'clusters',
    scenario: 'clusters',
    reach: async (page) => {
      await page.getByRole('tab', { name: 'Clusters' }).click();
      await page.getByRole('button', { name: /travel/ }).click();
      await page.locator('.cluster-name').getByText('beach').waitFor();
    },
  },
  {
    name: 'map, a cluster selected',
    scenario: 'map',
    reach: async (page) => {
      await page.getByRole('tab', { name: 'Map' }).click();
      await page.getByRole('button', { name: /dog/ }).click();
      await page.getByRole('button', { name: 'More like these' }).waitFor();
    },
  },
  {
    name: 'skip link focused',
    scenario: 'library',
    reach: async (page) => {
      await page.keyboard.press('Tab');
      await page.getByRole('link', { name: 'Skip to results' }).waitFor();
    },
  },
  {
    name: 'cell context menu',
    scenario: 'library',
    reach: async (page) => {
      await searchBox(page).fill('red');
      await resultCells(page).first().click({ button: 'right' });
      await page.getByRole('menu').waitFor();
    },
  },
  {
    name: 'update check on, newer version found',
    scenario: 'library',
    reach: async (page) => {
      await page.evaluate(() =>
        window.fake.setUpdateCheck(
          {},
          { available: { version: '0.2.0', url: 'https://photoseek.app/releases/0.2.0' } },
        ),
      );
      const updates = page.getByRole('region', { name: 'Updates' });
      await updates.getByRole('checkbox', { name: 'Check for a new version' }).check();
      await updates.getByText('Version 0.2.0 is available.').waitFor();
    },
  },
  {
    name: 'models drawer with a comparison',
    scenario: 'models',
    reach: async (page) => {
      await page.getByRole('button', { name: 'Manage and compare models…' }).click();
      const drawer = page.getByRole('dialog', { name: 'Models' });
      await drawer.getByRole('button', { name: 'Choose labelled folder…' }).click();
      await drawer.getByRole('button', { name: 'Compare 2 models' }).click();
      await drawer.getByRole('table').first().waitFor();
    },
  },
  { name: 'image-only model', scenario: 'image-only', reach: async () => {} },
  { name: 'switching model', scenario: 'switching-model', reach: async () => {} },
];

describe('accessibility (axe-core, WCAG 2.2 A and AA)', () => {
  for (const colorScheme of ['light', 'dark'] as const satisfies OpenOptions['colorScheme'][]) {
    for (const state of states) {
      it(`${state.name}, ${colorScheme} theme: no violations`, async () => {
        const page = await app.open(state.scenario, { colorScheme });
        await page.locator('.app').waitFor();
        await state.reach(page);
        expect(await accessibilityViolations(page)).toEqual([]);
      });
    }
  }
});

describe('keyboard', () => {
  /**
   * Tabs `stops` times and returns where focus went. The page behind a modal is inert, so focus
   * is inside the dialog, or on no element at all between the last and the first stop (Chromium
   * offers its own UI there; Electron's window has none and wraps).
   */
  async function tabThrough(page: Page, stops: number): Promise<string[]> {
    const seen: string[] = [];
    for (let stop = 0; stop < stops; stop++) {
      await page.keyboard.press('Tab');
      const where = await focused(page);
      if (where.label !== 'body') {
        expect(where.inDialog, `Tab stop ${stop + 1}: ${where.label}`).toBe(true);
        seen.push(where.label);
      }
    }
    return seen;
  }

  /** Where focus is: the focused element's label or text, or 'body'. */
  async function focused(page: Page): Promise<{ inDialog: boolean; label: string }> {
    return page.evaluate(() => {
      const element = document.activeElement;
      return {
        inDialog: !!element?.closest('dialog'),
        label:
          element === document.body || !element
            ? 'body'
            : (element.getAttribute('aria-label') ?? element.textContent ?? '').trim(),
      };
    });
  }

  it('keeps Tab inside the photo view, and Escape returns to the grid', async () => {
    const page = await app.open();
    await searchBox(page).fill('red');
    await resultCells(page).first().click();
    await page.getByRole('dialog').locator('.photo-facts').getByText('Size').waitFor();
    const stops = await tabThrough(page, 16);
    // Round and round inside: every control came back at least once.
    expect(stops.length).toBeGreaterThan(new Set(stops).size);
    expect(stops).toContain('Find similar');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('listbox');
  });

  it('keeps Tab inside the failures drawer, and closing it returns focus to Review', async () => {
    const page = await app.open();
    const review = page
      .getByRole('region', { name: 'Failures' })
      .getByRole('button', { name: 'Review' });
    await review.click();
    const drawer = page.getByRole('dialog', { name: 'Files that could not be indexed' });
    await drawer.getByRole('listitem').first().waitFor();
    const stops = await tabThrough(page, 24);
    expect(stops.length).toBeGreaterThan(new Set(stops).size);
    expect(stops).toContain('Close');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await focused(page)).toEqual({ inDialog: false, label: 'Review' });
  });

  it('keeps focus on the indexing button through check, pause and resume', async () => {
    const page = await app.open();
    const indexing = page.getByRole('region', { name: 'Indexing' });
    await indexing.getByRole('button', { name: 'Check for new photos' }).focus();
    await page.keyboard.press('Enter');
    await indexing.getByRole('button', { name: 'Pause' }).waitFor();
    expect(await focused(page)).toEqual({ inDialog: false, label: 'Pause' });
    await page.keyboard.press('Enter');
    await indexing.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await focused(page)).toEqual({ inDialog: false, label: 'Resume' });
  });

  it('moves focus to Keep when removing a folder asks, and back to the trash button', async () => {
    const page = await app.open();
    await page.getByRole('button', { name: 'Remove Family' }).click();
    await page.getByText('Files stay on disk.').waitFor();
    expect(await focused(page)).toEqual({ inDialog: false, label: 'Keep' });
    await screenshot(page, 'remove-folder-confirm');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toEqual({ inDialog: false, label: 'Remove Family' });
  });
});
