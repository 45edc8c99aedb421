/** Where log lines go: appended to ECR_TS_LOG_FILE (with timestamps), else to stderr. */
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { writeAll } from './write-fd';

/** The `write` and optional clock that createLogger() takes. */
export interface LogSink {
  readonly write: (line: string) => void;
  readonly now?: () => Date;
}

// Non-blocking: a named pipe with no reader (or a full one) as the log file would otherwise block
// the open or the write, on the main thread, where no deadline can end it.
const LOG_FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

/** The sink for a log file, or stderr when `file` is null. */
export function logSink(file: string | null): LogSink {
  if (!file) return { write: (line) => writeAll(2, line) };
  return {
    write: (line) => {
      try {
        const fd = openSync(file, LOG_FLAGS, 0o600);
        try {
          writeSync(fd, line);
        } finally {
          closeSync(fd);
        }
      } catch {
        // A broken log file must never break a pull.
      }
    },
    now: () => new Date(),
  };
}
