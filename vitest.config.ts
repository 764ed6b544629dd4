import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const protocolDir = fileURLToPath(new URL('./server/src/protocol', import.meta.url));
const e2e = 'tests/e2e/**';

export default defineConfig({
  resolve: { alias: { '@protocol': protocolDir } },
  test: {
    // Integration tests start real servers and e2e tests a real browser: slow on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers, sockets and child processes behave better in processes than in worker threads.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit+integration',
          include: ['tests/**/*.test.ts', 'server/src/**/*.test.ts'],
          exclude: [e2e, '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [`${e2e}/*.test.ts`],
          // Each e2e file drives a Chromium and a server; two at once, or next to other files,
          // starve 2 cores and turn timing into flakiness. groupOrder runs this project after the other.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
