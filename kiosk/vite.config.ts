import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { serviceWorkerPlugin } from './service-worker-plugin.ts';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/kiosk/',
  plugins: [preact(), serviceWorkerPlugin(fileURLToPath(new URL('./service-worker.js', import.meta.url)))],
  // Wire types, zod schemas and error codes come from the server's protocol module: declared once.
  resolve: { alias: { '@protocol': fileURLToPath(new URL('../server/src/protocol', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020' },
  server: {
    // `vite` in kiosk/ during development talks to a station started with `npm start`.
    proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
