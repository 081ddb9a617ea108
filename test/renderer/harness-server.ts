import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, mergeConfig, preview } from 'vite';
import type { Plugin } from 'vite';
import rendererConfig from '../../vite.renderer.config';
import { fakeMediaResponse } from './fake-library';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outDir = fileURLToPath(new URL('../../test-results/renderer-harness', import.meta.url));
const harnessHtml = fileURLToPath(new URL('./harness.html', import.meta.url));
const indexHtml = fileURLToPath(new URL('../../src-renderer/index.html', import.meta.url));

/**
 * Serves the fake core's thumbnails and photos (generated SVG) from the page's own origin, and
 * answers Chromium's favicon request (Electron makes none) so that it logs no 404.
 */
function fakeMedia(): Plugin {
  return {
    name: 'photoseek-fake-media',
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = new URL(request.url ?? '/', 'http://localhost').pathname;
        if (path === '/favicon.ico') {
          response.statusCode = 204;
          response.end();
          return;
        }
        const svg = fakeMediaResponse(path);
        if (svg === null) return next();
        response.setHeader('Content-Type', 'image/svg+xml');
        response.end(svg);
      });
    },
  };
}

/** The CSP that index.html declares, so the harness page runs under the app's own policy. */
async function appContentSecurityPolicy(): Promise<string> {
  const html = await readFile(indexHtml, 'utf8');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (!csp) throw new Error('src-renderer/index.html declares no Content-Security-Policy');
  return csp;
}

async function buildHarness(): Promise<void> {
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build; the tests
  // are meant to run what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build(
      mergeConfig(rendererConfig, {
        root: repoRoot,
        configFile: false,
        logLevel: 'warn',
        // The harness bundles zod (the fake validates arguments), so it is larger than the app.
        build: {
          outDir,
          emptyOutDir: true,
          chunkSizeWarningLimit: 1000,
          rolldownOptions: { input: harnessHtml },
        },
      }),
    );
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * [Note: Renderer harness] The tests run the production build of the app (the renderer's own
 * Vite config) with the fake core installed first, served under the CSP of index.html. Returns
 * the harness page's URL; append `?scenario=…`.
 */
export async function startHarness(): Promise<{ url: string; close: () => Promise<void> }> {
  await buildHarness();
  const server = await preview({
    root: repoRoot,
    configFile: false,
    logLevel: 'warn',
    plugins: [fakeMedia()],
    build: { outDir },
    preview: {
      host: '127.0.0.1',
      port: 0,
      headers: { 'Content-Security-Policy': await appContentSecurityPolicy() },
    },
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('the harness server has no URL');
  return { url: new URL('test/renderer/harness.html', base).href, close: () => server.close() };
}
