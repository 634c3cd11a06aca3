import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Browser tests (tests/e2e) drive Debian's Chromium; .ci/run installs it. Without it they are left out, not failed.
const hasChromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'tests/**/*.test.ts', 'workflows/**/*.test.ts'],
    exclude: [...(hasChromium ? [] : ['tests/e2e/**']), 'node_modules/**'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
