import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  test: {
    projects: [
      {
        // Server, protocol and content tests: real sockets and a real Redis (found or started by redis-setup).
        test: {
          name: 'server',
          environment: 'node',
          include: [
            'protocol/**/*.test.ts',
            'server/**/*.test.ts',
            'contests/**/*.test.ts',
            'scripts/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          globalSetup: ['server/test/redis-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Multi-process and Redis tests share two cores: run files one at a time for stable timings.
          fileParallelism: false,
        },
      },
      {
        // Client state and component tests: Svelte compiled for the browser, rendered in jsdom.
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'client',
          environment: 'jsdom',
          include: ['client/**/*.test.ts'],
          setupFiles: ['client/src/test/setup.ts'],
        },
      },
    ],
  },
});
