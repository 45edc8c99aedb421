/**
 * Which config file texts this user's helper has checked whole: the record load-config.ts keeps
 * so that a cache-hit `get` does not validate a hundred entries on every call. An invalid file is
 * still refused on every call (docs/universal-mode.md); checking a 100-entry file whole on every
 * call cost a cache hit 13% (docs/benchmarks.md).
 *
 * An empty file in the token cache folder whose name is the claim: `config-<16 hex>-<40 hex>
 * .checked`, the digests of the config file's path and of its text with the helper's version
 * (an upgraded helper checks again). Any edit changes the digest, so an edited file is checked
 * whole on its next call; no timestamp is trusted. Looking it up is one lstat. It is trusted
 * under the cache folder's rules (docs/security-model.md): a folder of this user that nobody else
 * can write, a regular file of this user that nobody else can write, not a symlink; written as a
 * private file (src/fs/private-file.ts). One per config file: recording a new text removes the
 * old ones. Whatever is wrong with a record only means checking again; nothing here ever fails a
 * call.
 */
import { lstatSync, readdirSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../product';
import { ownerProblem, type Owner } from '../fs/owner';
import { writePrivateFile } from '../fs/private-file';
import { inspectFolder } from '../fs/private-folder';
import { sha256Hex } from './sha256';

/**
 * Texts of config files that the config parser accepted whole: a file with a recorded text is
 * parsed only as far as each call needs.
 */
export interface ValidationRecord {
  has(file: string, text: string): boolean;
  add(file: string, text: string): void;
}

/** The record in the cache folder `dir`; none (check every time) when the cache is off. */
export function validationRecordIn(dir: string | null, owner: Owner): ValidationRecord {
  if (dir === null) return { has: () => false, add: () => undefined };
  const usable = (): boolean => inspectFolder(dir, owner).state === 'usable';
  /** `config-<file's digest>-`: the records of one config file start with it. */
  const prefixFor = (file: string): string => `config-${sha256Hex(file).slice(0, 16)}-`;
  const nameFor = (file: string, text: string): string =>
    `${prefixFor(file)}${digestOf(file, text).slice(0, 40)}.checked`;
  return {
    has(file, text) {
      if (!usable()) return false;
      // One lstat: the name is the claim; the file must be this user's, closed to others, and
      // not a symlink (a link another user planted would otherwise vouch with our name).
      let stat: Stats | undefined;
      try {
        stat = lstatSync(join(dir, nameFor(file, text)), { throwIfNoEntry: false });
      } catch {
        return false; // EACCES and the like: check again
      }
      return stat !== undefined && stat.isFile() && ownerProblem(stat, owner) === undefined;
    },
    add(file, text) {
      // Not created for this: the first call that caches a token makes the folder.
      if (!usable()) return;
      const name = nameFor(file, text);
      try {
        writePrivateFile(join(dir, name), '');
        // One record per config file: the texts it had before are gone.
        const prefix = prefixFor(file);
        for (const other of readdirSync(dir)) {
          if (other !== name && other.startsWith(prefix) && other.endsWith('.checked')) {
            unlinkSync(join(dir, other));
          }
        }
      } catch {
        // A read-only or full disk: the file is checked whole again next time.
      }
    },
  };
}

/**
 * What a record vouches for: this text of this file, checked by this version of the helper. Not
 * by this build: telling builds apart (a stat of the program's files) cost more than the rest of
 * the lookup. A build of the same version with stricter rules finds out about a file recorded
 * before once the file is edited; until then the entries a call uses are still checked.
 */
function digestOf(file: string, text: string): string {
  return sha256Hex([VERSION, file, text].join('\0'));
}
