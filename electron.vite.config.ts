import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * [Note: Build layout] Explicit inputs, because the project does not use electron-vite's default
 * src/main, src/preload, src/renderer folders:
 *   out/main/main.js, out/main/core-host.js  ES modules (package.json "type": "module"); the core
 *                                            host is bundled with main and forked from it
 *   out/preload/preload.cjs                  CommonJS, self-contained: a sandboxed preload can
 *                                            require nothing but 'electron'
 *   out/renderer/index.html                  the React renderer
 * Dependencies stay external in main and the host (native modules cannot be bundled; the packaged
 * app ships node_modules, see electron-builder.yml).
 */
const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          main: resolve(root, 'src-main/electron/main.ts'),
          'core-host': resolve(root, 'src-main/core-host/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    // As vite.renderer.config.ts ([Note: Renderer build]): no inline assets (the CSP forbids
    // data: scripts and styles), no hot reload (its inline preamble is blocked too).
    server: { hmr: false },
    build: {
      assetsInlineLimit: 0,
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});
