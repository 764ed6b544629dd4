import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/me/',
  plugins: [preact()],
  // Wire types come from the server's protocol module: declared once.
  resolve: { alias: { '@protocol': fileURLToPath(new URL('../server/src/protocol', import.meta.url)) } },
  // Volunteers' phones include old Android browsers: a conservative syntax target.
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2017' },
  server: {
    // `vite` in me/ during development talks to a station started with `npm start`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
