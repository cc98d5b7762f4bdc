import { defineConfig } from 'vitest/config';

// The slow group: worker threads, child processes and million-span cases. `npm test` runs both groups;
// `npm run test:fast` only the first (test/README.md says where a new test goes).
const SLOW = [
  // Every file of test/parallel/ but the plan's table, which starts no thread.
  'test/parallel/!(plan-threads).test.ts',
  'test/robustness/big-traces.test.ts',
  'test/robustness/io-faults.test.ts',
  'test/robustness/input-limits.test.ts',
  'test/robustness/threads.property.test.ts',
  'test/robustness/one-trace-model.property.test.ts',
  'test/model/build-tree-large.test.ts',
  'test/model/infer-parents-large.test.ts',
  'test/cli/large-trace.test.ts',
  'test/instrument/process.test.ts',
  'test/instrument/logger-bounds.test.ts',
  'test/report/report.browser.test.ts',
  'test/export/otlp-http.test.ts',
  'test/export/round-trip.property.test.ts',
  'test/cli/progress-tty.test.ts',
  'test/cli/follow-process.test.ts',
  'test/cli/export-follow.test.ts',
  'test/cli/export-follow-process.test.ts',
  'test/cli/export-backpressure.test.ts',
];

// What both groups share. Not `extends: true`: that would run the root's globalSetup (the build) once more
// per group.
const shared = {
  setupFiles: ['./test/property-seed.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  env: { TZ: 'UTC', NO_COLOR: '1' },
};

export default defineConfig({
  test: {
    reporters: ['default', './test/plain-summary-reporter.ts'],
    globalSetup: ['./test/global-setup.ts'],
    projects: [
      { test: { ...shared, name: 'fast', include: ['test/**/*.test.ts'], exclude: SLOW } },
      { test: { ...shared, name: 'slow', include: SLOW } },
    ],
  },
});
