import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts the shared PostgreSQL server once for the whole run (see test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // `.only` left in a test must fail CI rather than silently skip the rest.
    allowOnly: !process.env.CI,
    reporters: ['default'],
  },
});
