/**
 * `mkdir -p` for the cache folder, bounded. Hand-written because Node's own recursive mkdir
 * (sync and async, Node 20 and 24) loops forever where mkdir answers ENOENT under a parent that
 * exists, as procfs does (AWS_ECR_CACHE_DIR=/proc/self/x): the sync form blocks the event loop,
 * so neither the call's deadline nor SIGTERM could end the helper.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorCode } from '../error-code';

/** Creates `dir` and any missing parents with `mode`; each level is tried at most twice. */
export function makeDirSync(dir: string, mode: number): void {
  const path = resolve(dir);
  try {
    mkdirSync(path, { mode });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
    makeDirSync(parent, mode);
    try {
      mkdirSync(path, { mode });
    } catch (again) {
      // Another process made it meanwhile; any other failure (a second ENOENT) is final.
      if (errorCode(again) !== 'EEXIST') throw again;
    }
  }
}
