/** Temp folders that are removed after each test, failed or not. */
import { tempDir } from './env';

/**
 * Kept for older tests: `tempDir` itself now removes each folder after the test that made it
 * (test/support/cleanup.ts), so this just hands it back.
 */
export function useTempDirs(): (prefix?: string) => string {
  return tempDir;
}
