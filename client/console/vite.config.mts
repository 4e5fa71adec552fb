// The console's build: one page app under /konsoll/, written to dist/console, which the API serves
// (client/api/console-files.ts). Only `vite build` is used; the API is the only server.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/konsoll/',
  plugins: [react()],
  // The console imports the request schemas of schemas/ (zod) that the API parses with: one home for each rule.
  server: { fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Names with a content hash: the API serves them as immutable, index.html never cached.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
  },
  logLevel: 'warn',
});
