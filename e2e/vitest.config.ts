import { defineConfig } from 'vitest/config';

/** Real-browser tests: `npm run test:e2e` (builds the client first). Not part of `npm test`. */
export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
