import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/board/',
  plugins: [preact()],
  // Wire types come from the server's protocol module: declared once.
  resolve: { alias: { '@protocol': fileURLToPath(new URL('../server/src/protocol', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020' },
  server: {
    // `vite` in board/ during development talks to a station started with `npm start`.
    proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
