/** Where a path leads through its symbolic links, for comparing two paths by the file they name. */
import { realpathSync } from 'node:fs';

/** The real path of `path`, or undefined where it leads nowhere (missing, a loop, no access). */
export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
