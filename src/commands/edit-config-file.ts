/**
 * Changing a config file other programs write too (docs/configure.md#writing): docker's
 * config.json for `configure` (credHelpers, credsStore, the migration, --remove and --unstore),
 * and the kubelet's CredentialProviderConfig for `configure --kubelet`. One way for all of them:
 * the folder made when missing, one lock for configure runs, then read, plan, write if still
 * unchanged (after a backup, config-backups.ts), and a look afterwards that the change stayed,
 * retried while others write.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Progress } from '../call-context';
import { HelperError } from '../errors';
import { tryLock } from '../fs/lock';
import { makeDirSync, UnsafeFolderError } from '../fs/make-dir';
import { processOwner } from '../fs/owner';
import { poll } from '../fs/poll';
import { readSettingsFile, type FileVersion } from '../fs/read-regular-file';
import { replaceIfUnchanged, type ReplaceOutcome } from '../fs/replace-file';
import { backupNames, pruneBackups } from './config-backups';

/**
 * A lock is abandoned once its holder has not refreshed it for this long (the holder refreshes
 * it every quarter of that, also while it waits on a slow fallback helper).
 */
const LOCK_STALE_MS = 5000;
/** How long a run waits for the lock: past LOCK_STALE_MS, so a lock left behind is taken over. */
const LOCK_WAIT_MS = LOCK_STALE_MS + 2500;

/** Makes the file's folder when missing, takes the lock beside `file`, runs `work`, unlocks. */
export async function withLockedConfig<T>(
  file: string,
  progress: Progress,
  work: () => Promise<T>,
): Promise<T> {
  progress.step = `creating the folder of ${file}`;
  try {
    // The folder is used as it is (docker's may be another user's when root edits it, the
    // kubelet's is the system's); a missing one is made with the bounded mkdir (0700): Node's
    // recursive one spins forever under /proc.
    if (!isFolder(dirname(file))) makeDirSync(dirname(file));
  } catch (error) {
    if (error instanceof UnsafeFolderError) {
      throw new HelperError('CONFIG', `cannot create the folder of ${file}: ${error.message}`);
    }
    throw fsError('create the folder of', file, error);
  }
  // Two configure runs at once (provisioning scripts) must both land: read-modify-write under
  // the lock beside the file (src/fs/lock.ts), which recovers a lock its holder left behind.
  progress.step = `waiting for the lock ${file}.lock (another configure run; one left by a run that was stopped is taken over after ${LOCK_STALE_MS / 1000} s)`;
  const release = await lockConfig(file);
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

/** Takes the lock beside `file`, waiting while another configure run holds it. */
async function lockConfig(file: string): Promise<() => Promise<void>> {
  const polled = await poll({
    deadline: Date.now() + LOCK_WAIT_MS,
    attempt: async () => {
      const attempt = await tryLock({
        file,
        staleMs: LOCK_STALE_MS,
        // Losing the lock costs nothing: the write itself checks that the file did not change.
        onCompromised: () => undefined,
        ensureDir: () => undefined, // made above
      });
      return attempt.state === 'busy' ? undefined : attempt;
    },
    pause: (round, msLeft) => Math.min(msLeft, 100, 20 * 2 ** round * (1 + Math.random())),
  });
  if (!('value' in polled)) {
    throw new HelperError(
      'CONFIG',
      `cannot lock ${file}: another configure run kept ${file}.lock for ${LOCK_WAIT_MS / 1000} s and is still working; run configure again when it is done`,
    );
  }
  if (polled.value.state === 'unavailable') {
    throw fsError('lock', file, { code: polled.value.reason });
  }
  return polled.value.release;
}

/** One round of an edit: the new text (null: nothing to change) and what it stands for. */
export interface EditRound<R> {
  readonly text: string | null;
  /** What the backup of the current file holds, when not all of it (default: all of it). */
  readonly backupText?: string;
  readonly result: R;
}

/** What an edit did: the result of its last round that wrote (else of its last round). */
export interface Edited<R> {
  readonly result: R;
  /** The copy of the previous file, when one existed and was replaced. */
  readonly backup: string | null;
  readonly wrote: boolean;
  /** Older backups removed (config-backups.ts keeps the newest few). */
  readonly prunedBackups: readonly string[];
}

/**
 * How long a write is redone while another program keeps changing the file: seen just before our
 * rename (we retry from its new content), or our entries gone just after it (it wrote what it had
 * read before our rename). The time from our read to that last look includes two fsyncs, so a
 * program writing every few milliseconds is waited out rather than raced. Time a round spends
 * waiting on a store does not count.
 */
const RETRY_FOR_MS = 4000;
/** How long after our rename the file is looked at again for a lost change. */
const SETTLE_MS = 30;

/**
 * Plans each round from the file's current text and writes it if the file is still that text;
 * returns once a round has nothing (more) to change. Called under withLockedConfig.
 */
export async function editUntilStable<R>(options: {
  /** The file as named (a symlink is written through, where it points; backups go beside it). */
  readonly file: string;
  readonly now: () => Date;
  readonly round: (text: string) => Promise<EditRound<R>>;
  /** Runs after each write that landed, with its round's result. */
  readonly landed?: (result: R) => void;
  /** The mode of a file made new (docker's: 0600; the kubelet's, which holds no secret: 0644). */
  readonly newFileMode?: number;
  /** The text of a version (default: decode, which keeps a byte order mark for the planner). */
  readonly readText?: (version: FileVersion | null, file: string) => string;
}): Promise<Edited<R>> {
  const { file } = options;
  const readText = options.readText ?? decode;
  const target = resolveLink(file);
  let backup: string | null = null;
  let written: { result: R } | null = null;
  let giveUpAt = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const before = readConfig(target);
    const started = Date.now();
    const round = await options.round(readText(before, file));
    giveUpAt += Date.now() - started;
    if (round.text === null) {
      return {
        result: (written ?? round).result,
        backup,
        wrote: written !== null,
        prunedBackups: backup === null ? [] : pruneBackups(file),
      };
    }
    if (Date.now() > giveUpAt) {
      throw new HelperError(
        'CONFIG',
        `${file} kept changing while configure wrote it (another program is writing it); run configure again when it is done`,
      );
    }
    refuseReadOnly(before, file);
    const stats = before?.stats;
    let outcome: ReplaceOutcome;
    try {
      outcome = replaceIfUnchanged({
        file: target,
        expected: before,
        text: round.text,
        mode: stats ? Number(stats.mode & 0o777n) : (options.newFileMode ?? 0o600),
        // The new file and its backup keep the owner (root editing a user's file).
        ...(stats ? { owner: { uid: Number(stats.uid), gid: Number(stats.gid) } } : {}),
        backupNames: backup === null ? backupNames(file, options.now()) : [],
        ...(round.backupText === undefined ? {} : { backupBytes: Buffer.from(round.backupText) }),
      });
    } catch (error) {
      const step = (error as { step?: string }).step ?? 'write';
      throw fsError(step, file, error);
    }
    if (!outcome.replaced) continue;
    backup ??= outcome.backup;
    written = round;
    options.landed?.(round.result);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
}

/** The uid that owns the config (the file, else its folder) when it is not this user's. */
export function foreignOwner(file: string): number | undefined {
  const euid = processOwner().euid;
  if (euid === undefined) return undefined;
  const version = readConfig(resolveLink(file));
  const uid = version ? Number(version.stats.uid) : folderOwner(dirname(file));
  return uid === undefined || uid === euid ? undefined : uid;
}

function folderOwner(dir: string): number | undefined {
  try {
    return statSync(dir).uid;
  } catch {
    return undefined;
  }
}

/** The current version of the file, or null when there is none. */
export function readConfig(file: string): FileVersion | null {
  try {
    return readSettingsFile(file);
  } catch (error) {
    throw fsError('read', file, error);
  }
}

/**
 * The text of the file; refuses bytes that are not UTF-8, which an edit would not keep. A byte
 * order mark stays in the text, for the planner to refuse (docker cannot read it).
 */
export function decode(version: FileVersion | null, file: string): string {
  if (version === null) return '';
  const { bytes } = version;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new HelperError(
      'CONFIG',
      `${file} is not valid UTF-8; fix it by hand, configure left it untouched`,
    );
  }
}

/**
 * A config file without its owner's write bit (0444) says "do not change me": a rename would
 * replace it all the same (as docker's own save would), so it is refused instead.
 */
export function refuseReadOnly(version: FileVersion | null, file: string): void {
  const mode = version?.stats.mode;
  if (mode === undefined || (mode & 0o200n) !== 0n) return;
  throw new HelperError(
    'CONFIG',
    `${file} is read-only (mode ${(mode & 0o777n).toString(8).padStart(4, '0')}); configure left it untouched: make it writable (chmod u+w) to let configure change it`,
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The file a symlinked config points to: it is replaced there, and the link stays. */
export function resolveLink(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** `cannot <what> <file> (<code>)`, the errno code or the reason a tool gave. */
export function fsError(what: string, file: string, error: unknown): HelperError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new HelperError('CONFIG', `cannot ${what} ${file} (${code})`, { cause: error });
}
