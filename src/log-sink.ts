/** Where log lines go: appended to ECR_TS_LOG_FILE (with timestamps), else to stderr. */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { errorCode } from './error-code';
import { PRODUCT } from './product';
import { writeAll } from './write-fd';

/** The `write` and optional clock that createLogger() takes. */
interface LogSink {
  readonly write: (line: string) => void;
  readonly now?: () => Date;
}

// Non-blocking: a named pipe with no reader (or a full one) as the log file would otherwise block
// the open or the write, on the main thread, where no deadline can end it. No following: the path
// comes from the environment, and a symbolic link planted in /tmp would point it at the caller's
// own files (a line of caller-supplied text appended to ~/.profile).
const LOG_FLAGS =
  constants.O_WRONLY |
  constants.O_APPEND |
  constants.O_CREAT |
  constants.O_NONBLOCK |
  constants.O_NOFOLLOW;

const toStderr = (line: string): void => writeAll(2, line);

/**
 * The sink for a log file, or stderr when `file` is null. A log file that is stdout (log lines in
 * the protocol answer), a symbolic link, or another user's file is refused: the lines then go to
 * stderr, after one warning. Any other failure drops the line: a broken log must not break a pull.
 */
export function logSink(file: string | null): LogSink {
  if (!file) return { write: toStderr };
  let refused = false;
  return {
    write: (line) => {
      if (refused) {
        toStderr(line);
        return;
      }
      let fd: number;
      try {
        fd = openSync(file, LOG_FLAGS, 0o600);
      } catch (error) {
        if (errorCode(error) !== 'ELOOP') return;
        fd = -1;
      }
      try {
        const reason = fd === -1 ? 'it is a symbolic link' : refusal(fd);
        if (reason === null) {
          writeSync(fd, line);
          return;
        }
        refused = true;
        toStderr(
          `${PRODUCT}: warn: not logging to ECR_TS_LOG_FILE "${file}": ${reason}; logging to stderr instead\n`,
        );
        toStderr(line);
      } catch {
        // A broken log file must never break a pull.
      } finally {
        if (fd !== -1) closeSync(fd);
      }
    },
    now: () => new Date(),
  };
}

/** Why the open log file `fd` must not be written, or null when it may. */
function refusal(fd: number): string | null {
  const log = fstatSync(fd);
  // A device (/dev/null, a terminal) is nobody's answer and the system's, not a user's: shared
  // with stdout it corrupts nothing, and its owner is no one to distrust.
  if (log.isCharacterDevice()) return null;
  const stdout = statOrNull(1);
  if (stdout && stdout.dev === log.dev && stdout.ino === log.ino) {
    return 'it is the same file as stdout, which carries the answer';
  }
  const euid = process.geteuid?.();
  if (euid !== undefined && log.uid !== euid) {
    return `it belongs to another user (uid ${log.uid})`;
  }
  return null;
}

function statOrNull(fd: number): ReturnType<typeof fstatSync> | null {
  try {
    return fstatSync(fd);
  } catch {
    return null;
  }
}
