/** Temp folders that a test file removes after each test, failed or not. */
import { rmSync } from 'node:fs';
import { tempDir } from './env';

/** Registers an afterEach that removes every folder `make` created during the test. */
export function useTempDirs(): (prefix?: string) => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = tempDir(prefix);
    made.push(dir);
    return dir;
  };
}
