import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * [Note: Renderer build] The renderer is a plain web app (React, no Node), so plain Vite serves
 * and builds it: the renderer tests build it from here, and `vite -c vite.renderer.config.ts`
 * serves it for work on the UI (open /index.html inside the app; the bridge comes from the preload).
 * The Electron build (electron.vite.config.ts) points at the same src-renderer/index.html.
 *
 * The page's CSP allows only 'self' scripts, so in dev mode the inline React Refresh preamble
 * is blocked: `server.hmr: false` turns Fast Refresh off instead of loosening the CSP.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  server: { hmr: false },
  build: {
    outDir: fileURLToPath(new URL('./out/renderer-web', import.meta.url)),
    emptyOutDir: true,
    // Inlined assets would be data: URLs, which the CSP does not allow for scripts and styles.
    assetsInlineLimit: 0,
  },
});
