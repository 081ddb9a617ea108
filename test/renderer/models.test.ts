import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './app-page';

const app = useApp();

async function openModels(page: Page) {
  await page.getByRole('button', { name: 'Manage and compare models…' }).click();
  const drawer = page.getByRole('dialog', { name: 'Models' });
  await drawer.waitFor();
  return drawer;
}

describe('the models drawer', () => {
  it('lists every model with licence, size and library vectors; uses and removes one', async () => {
    const page = await app.open('models');
    const drawer = await openModels(page);
    const rows = drawer.getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(4);
    const clip = drawer.getByRole('listitem', { name: 'CLIP ViT-B/32 (int8)' });
    expect(await clip.textContent()).toContain('In use');
    expect(await clip.textContent()).toContain('Licence: MIT (OpenAI CLIP)');
    const mobileclip = drawer.getByRole('listitem', { name: /MobileCLIP-S0/ });
    expect(await mobileclip.textContent()).toContain('Not installed');
    expect(await mobileclip.textContent()).toContain('non-commercial research use only');
    const mobileNet = drawer.getByRole('listitem', { name: 'MobileNetV2 (ImageNet)' });
    expect(await mobileNet.textContent()).toContain('Image only (no text search)');
    expect(await mobileNet.textContent()).toContain('In this library: 260 photos, about 1.3 MB');
    // The model in use offers neither Use nor Remove.
    expect(await clip.getByRole('button').count()).toBe(0);

    await mobileNet.getByRole('button', { name: 'Remove MobileNetV2 (ImageNet)' }).click();
    expect(await mobileNet.textContent()).toContain(
      'Remove MobileNetV2 (ImageNet) and its vectors of 260 photos (about 1.3 MB)? The model folder stays on disk.',
    );
    // Focus goes to the safe choice.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep');
    await mobileNet.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.evaluate(() => window.fake.argsOf('models.remove'))).toEqual([
      ['mobilenetv2-imagenet'],
    ]);
    await drawer
      .getByText('Removed MobileNetV2 (ImageNet) and its vectors of 260 photos')
      .waitFor();
  });

  it('adds a model folder chosen in the dialog, and says why one is refused', async () => {
    const page = await app.open('models');
    const drawer = await openModels(page);
    await page.evaluate(() => window.fake.setPickedFolder('/home/ana/models/autoencoder'));
    await drawer.getByRole('button', { name: 'Add a model folder…' }).click();
    await drawer.getByRole('listitem', { name: 'My autoencoder (512-d)' }).waitFor();
    expect(await page.evaluate(() => window.fake.argsOf('shell.pickFolder'))).toEqual([['model']]);
    expect(await page.evaluate(() => window.fake.argsOf('models.add'))).toEqual([
      ['/home/ana/models/autoencoder'],
    ]);
    await drawer.getByText('Added My autoencoder (512-d). Choose Use to search with it.').waitFor();
    await drawer
      .getByRole('listitem', { name: 'My autoencoder (512-d)' })
      .getByRole('button', { name: 'Use My autoencoder (512-d)' })
      .click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('models.use')))
      .toEqual([['my-autoencoder']]);

    // A folder the core refuses: its one line reaches the user.
    await page.evaluate(() =>
      window.fake.failNext('models.add', {
        code: 'MODEL_INVALID',
        message: 'The model folder /home/ana/models/broken is missing onnx/vision.onnx.',
      }),
    );
    await drawer.getByRole('button', { name: 'Add a model folder…' }).click();
    await drawer
      .getByText('Could not add the model: The model folder /home/ana/models/broken is missing')
      .waitFor();
    await screenshot(page, 'models-add-refused');

    // Cancelling the dialog adds nothing.
    await page.evaluate(() => window.fake.setPickedFolder(null));
    await drawer.getByRole('button', { name: 'Add a model folder…' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('shell.pickFolder').length))
      .toBe(3);
    expect((await page.evaluate(() => window.fake.argsOf('models.add'))).length).toBe(2);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`compares installed models on a labelled folder, with progress (${colorScheme})`, async () => {
      const page = await app.open('models', { colorScheme });
      const drawer = await openModels(page);
      await screenshot(page, `models-drawer-${colorScheme}`);
      const compare = drawer.getByRole('button', { name: 'Compare 2 models' });
      expect(await compare.getAttribute('aria-disabled')).toBe('true');
      // Still focusable and pressable (aria-disabled), but nothing runs without a folder.
      await compare.focus();
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => window.fake.argsOf('models.compare'))).toEqual([]);

      await page.evaluate(() =>
        window.fake.setPickedFolder('/home/ana/Pictures/Labelled test set'),
      );
      await drawer.getByRole('button', { name: 'Choose labelled folder…' }).click();
      await drawer.getByText('/home/ana/Pictures/Labelled test set').waitFor();
      expect(await page.evaluate(() => window.fake.argsOf('shell.pickFolder'))).toEqual([
        ['labelled'],
      ]);

      await page.evaluate(() => window.fake.holdComparison());
      await compare.click();
      await page.evaluate(() =>
        window.fake.emit('models.compareProgress', {
          modelId: 'clip-vit-b32-int8',
          modelIndex: 0,
          models: 2,
          phase: 'embedding',
          done: 40,
          total: 100,
        }),
      );
      const bar = drawer.getByRole('progressbar', { name: 'Model comparison' });
      await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('40');
      await drawer
        .getByText('Embedding with clip-vit-b32-int8 (model 1 of 2): 40 of 100 photos')
        .waitFor();
      // The choices are locked while it runs.
      expect(await drawer.getByRole('checkbox').first().isDisabled()).toBe(true);
      await page.evaluate(() => window.fake.releaseComparison());

      const table = drawer.getByRole('table').first();
      await table.waitFor();
      expect(await bar.count()).toBe(0);
      expect(await page.evaluate(() => window.fake.argsOf('models.compare'))).toEqual([
        [
          {
            folder: '/home/ana/Pictures/Labelled test set',
            models: ['clip-vit-b32-int8', 'mobilenetv2-imagenet'],
          },
        ],
      ]);
      const rows = await table.getByRole('row').allTextContents();
      expect(rows[1]).toContain('CLIP ViT-B/32 (int8)');
      expect(rows[1]).toContain('0.864 best');
      expect(rows[1]).toContain('0.930');
      expect(rows[2]).toContain('MobileNetV2 (ImageNet)');
      expect(rows[2]).toContain('0.756');
      expect(rows[2]).toContain('no text tower');
      await drawer.getByRole('row', { name: /MobileNetV2/ }).scrollIntoViewIfNeeded();
      await screenshot(page, `models-compare-${colorScheme}`);

      // One model only: untick the other.
      await drawer.getByRole('checkbox', { name: 'MobileNetV2 (ImageNet)' }).uncheck();
      await drawer.getByRole('button', { name: 'Compare 1 model' }).click();
      await expect
        .poll(() => page.evaluate(() => window.fake.argsOf('models.compare').length))
        .toBe(2);
      expect((await page.evaluate(() => window.fake.argsOf('models.compare')))[1]).toEqual([
        { folder: '/home/ana/Pictures/Labelled test set', models: ['clip-vit-b32-int8'] },
      ]);
    });
  }
});
