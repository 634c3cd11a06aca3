import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Browser tests (tests/e2e) drive Debian's Chromium; .ci/run installs it. Without it they are left out, not failed.
const hasChromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

/**
 * Integration tests that need the PostgreSQL server itself, so they run in the pg project only: they start
 * child processes (`fashen` commands, several services, kill -9) that open the database by URL, and PGlite is
 * one process's in-memory database.
 */
const POSTGRES_ONLY = [
  'tests/build.test.ts',
  'tests/cli-deploy.test.ts',
  'tests/crash.test.ts',
  'tests/redis-outage.test.ts',
  'tests/startup.test.ts',
];

/** Files in tests/ that open no database (configuration, lint, documents rendered to PDF): run once, in pg. */
const NO_DATABASE = [
  'tests/config.test.ts',
  'tests/modeler-lint.test.ts',
  'tests/documents-pdf.test.ts',
  'tests/documents-seal-pdf.test.ts',
];

/** Opens its own embedded database from a data directory whatever the project: run once, in pglite. */
const PGLITE_ONLY = ['tests/pglite.test.ts'];

/**
 * Files that change what a module or the clock is for the whole process (vi.mock of a library, fake Date): each
 * gets a fresh worker. Every other file shares its worker's module graph with the files before it (isolate: false),
 * which saves evaluating the server's modules again for each of ~500 files; they must leave no state behind in
 * a module (each opens its own app, database and Redis prefix, and closes them).
 */
const ISOLATED = ['server/definitions/validate-safety.test.ts', 'tests/engine-warm-model.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'postgres',
          isolate: false,
          include: ['server/**/*.test.ts', 'tests/**/*.test.ts', 'workflows/**/*.test.ts'],
          exclude: [...(hasChromium ? [] : ['tests/e2e/**']), ...PGLITE_ONLY, ...ISOLATED, 'node_modules/**'],
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres-isolated',
          include: ISOLATED,
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        // The embedded database `npm start` runs on: every integration test again, on PGlite.
        extends: true,
        test: {
          name: 'pglite',
          isolate: false,
          include: ['tests/*.test.ts'],
          exclude: [...POSTGRES_ONLY, ...NO_DATABASE, ...ISOLATED],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite-isolated',
          include: ISOLATED.filter((f) => f.startsWith('tests/')),
          env: { TEST_DB: 'pglite' },
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
