import { describe, expect, it } from 'vitest';
import { screenshot, searchBox, useApp } from './app-page';

const app = useApp();

describe('first run and empty states', () => {
  it('offers the model download first and shows its progress', async () => {
    const page = await app.open('first-run');
    await page.getByRole('heading', { name: 'Welcome to Photoseek' }).waitFor();
    expect(await searchBox(page).count()).toBe(0);
    await screenshot(page, 'first-run');

    await page.getByRole('button', { name: 'Download model' }).click();
    expect(await page.evaluate(() => window.fake.argsOf('models.download'))).toEqual([
      ['clip-vit-b32-int8'],
    ]);
    await page.evaluate(() => window.fake.stepDownload());
    const bar = page.getByRole('progressbar', { name: 'Model download' });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('26735100');
    expect(await bar.getAttribute('aria-valuemax')).toBe('153621508');
    expect(await page.getByRole('region', { name: 'Welcome' }).textContent()).toContain(
      '25 MB of 147 MB · vision_model_quantized.onnx',
    );
    await screenshot(page, 'first-run-download');

    await page.evaluate(() => {
      while (window.fake.stepDownload());
    });
    await page.getByRole('heading', { name: 'Add your photo folders' }).waitFor();
  });

  it('lets the user choose another model, showing its licence before the download', async () => {
    const page = await app.open('first-run');
    const choices = page.getByRole('group', { name: 'Search model' });
    expect(await choices.getByRole('radio', { name: /CLIP ViT-B\/32/ }).isChecked()).toBe(true);
    await choices.getByText('MIT (OpenAI CLIP)').waitFor();
    await choices
      .getByText('Apple ML Research Model licence: non-commercial research use only')
      .waitFor();
    await screenshot(page, 'first-run-choose-model');
    await choices.getByRole('radio', { name: /MobileCLIP-S0/ }).check();
    await page.getByRole('button', { name: 'Download model' }).click();
    expect(await page.evaluate(() => window.fake.argsOf('models.download'))).toEqual([
      ['mobileclip-s0'],
    ]);
  });

  it('shows why the download failed and offers to try again', async () => {
    const page = await app.open('first-run');
    await page.evaluate(() =>
      window.fake.failNext('models.download', {
        code: 'OFFLINE',
        message: 'No connection to huggingface.co. Check the network and try again.',
      }),
    );
    await page.getByRole('button', { name: 'Download model' }).click();

    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('No connection to huggingface.co. Check the network and try again.');
    await page.getByRole('button', { name: 'Try again' }).waitFor();
  });

  it('asks for a folder when the library is empty, then indexes the chosen one', async () => {
    const page = await app.open('no-folders');
    await page.getByRole('heading', { name: 'Add your photo folders' }).waitFor();
    expect(await searchBox(page).isDisabled()).toBe(true);
    await screenshot(page, 'empty-library');

    await page.getByRole('main').getByRole('button', { name: 'Add folder…' }).click();
    await expect
      .poll(() => page.evaluate(() => window.fake.argsOf('folders.add')))
      .toEqual([['/home/ana/Pictures/Lisbon 2024']]);
    await page.getByRole('heading', { name: 'No photos indexed yet' }).waitFor();
    // The core indexes the new folder by itself.
    await expect
      .poll(() => page.getByRole('region', { name: 'Indexing' }).textContent())
      .toContain('Looking for photos');
  });
});
