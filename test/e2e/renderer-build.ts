import { fileURLToPath } from 'node:url';
import { build, mergeConfig } from 'vite';
import rendererConfig from '../../vite.renderer.config';

/** The bridge script's file name beside the built index.html. */
export const BRIDGE_SCRIPT = 'e2e-bridge.js';

const bridgeEntry = fileURLToPath(new URL('./browser-bridge.ts', import.meta.url));

/**
 * Builds the renderer exactly as it ships (its own Vite config, production mode, src-renderer's
 * index.html with its CSP) into `outDir`, and the page's bridge (browser-bridge.ts) beside it as
 * one self-contained module script, which the bridge server adds to the page.
 */
export async function buildRendererWithBridge(outDir: string): Promise<void> {
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build(
      mergeConfig(rendererConfig, {
        configFile: false,
        logLevel: 'warn',
        build: { outDir, emptyOutDir: true },
      }),
    );
    await build({
      configFile: false,
      logLevel: 'warn',
      publicDir: false,
      build: {
        outDir,
        emptyOutDir: false,
        // The bridge bundles zod (the RPC client parses replies): larger than Vite's warning size.
        chunkSizeWarningLimit: 1000,
        rolldownOptions: { input: bridgeEntry, output: { entryFileNames: BRIDGE_SCRIPT } },
      },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
