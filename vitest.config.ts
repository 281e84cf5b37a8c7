import { defineConfig } from 'vitest/config';

// One run covers every suite. The HTTP suite runs twice, once per store backend, unchanged:
// test/support/start-server.ts picks the backend from STIXGATE_TEST_BACKEND.
export default defineConfig({
  test: {
    // HTTP and store suites open sockets and databases; the machines have two cores.
    pool: 'forks',
    maxWorkers: 2,
    // Generous: a test that only passes on an idle machine is flaky, and CI shares the two
    // cores with its own second suite run. These bound a hang, they time nothing.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // Starts the in-memory MongoDB-wire server (unless MONGODB_URI is set) for the run.
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      // The CLI tests run commands end to end (stores, files, servers): not unit tests.
      {
        extends: true,
        // A migrate run copies a store both ways through child work: on a loaded machine it
        // took over 30 s, so these get the time a whole command run needs.
        test: { name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 120_000 },
      },
      { extends: true, test: { name: 'store', include: ['test/store/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'console', include: ['console/test/**/*.test.ts'] },
      },
      {
        // Headless Debian Chromium against a real server (SQLite); fails if Chromium is missing.
        extends: true,
        test: {
          name: 'console:e2e',
          include: ['console/e2e/**/*.test.ts'],
          env: { STIXGATE_TEST_BACKEND: 'sqlite' },
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'http:sqlite',
          include: ['test/http/**/*.test.ts'],
          setupFiles: ['test/support/response-check-setup.ts'],
          env: { STIXGATE_TEST_BACKEND: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'http:mongodb',
          include: ['test/http/**/*.test.ts'],
          setupFiles: ['test/support/response-check-setup.ts'],
          env: { STIXGATE_TEST_BACKEND: 'mongodb' },
        },
      },
    ],
  },
});
