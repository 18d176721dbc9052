import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Many tests start the CLI or a reference target in a process of their own: on a busy 2-core CI
  // machine one such step can take several seconds, so the per-test limit is generous.
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
