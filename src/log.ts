/**
 * Levelled logging to stderr or a file, with secrets redacted. stdout is never touched here: it
 * belongs to the protocol.
 */
import { oneLine } from './errors';
import { PRODUCT } from './product';
import { hideUserInfoInText } from './quote';

/** Log verbosity, most quiet first. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** Every level, most quiet first (for messages naming them). */
export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

/** The logging surface every module receives (no module-level logger singletons). */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** Registers a value that must never appear in a log line (a password, a key). */
  addSecret(secret: string): void;
}

const RANK: Readonly<Record<LogLevel, number>> = {
  silent: 0,
  error: 1,
  warn: 2,
  info: 3,
  debug: 4,
};

// Shapes of AWS secrets that must not leak even if nobody registered them.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{12,}\b/g,
  // A whole Authorization value, scheme and all ("Bearer xyz", "AWS4-HMAC-SHA256 Credential=...").
  /("?(?<![A-Za-z0-9_])[Aa]uthorization"?\s*[:=]\s*"?)[^"\r\n]+/g,
  // The key must stand alone: `GetAuthorizationToken: ECONNRESET` is a message, not a secret, and
  // `…:secret:hub-AbCdEf` is a Secrets Manager ARN (the secret's name).
  /("?(?<![A-Za-z0-9_:])(?:SecretAccessKey|secretAccessKey|SessionToken|sessionToken|Token|token|Secret|secret|password|Password|authorizationToken)"?\s*[:=]\s*"?)[^",\s}]+/g,
];

/** A value that only stands for one: `...`, `…`. */
const PLACEHOLDER = /^(?:\.{3}|…)$/;

/** Replaces registered secrets and known secret shapes with `***`. */
function redact(text: string, secrets: Iterable<string>): string {
  let out = hideUserInfoInText(text);
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix: string | undefined) => {
      if (
        typeof prefix !== 'string' ||
        !match.startsWith(prefix) ||
        prefix.length >= match.length
      ) {
        return '***';
      }
      // A placeholder (`"password": "..."` in a format hint) holds nothing to hide.
      return PLACEHOLDER.test(match.slice(prefix.length)) ? match : `${prefix}***`;
    });
  }
  return out;
}

/** Creates a logger writing lines `<product>: level: message` through `write`. */
export function createLogger(options: {
  level: LogLevel;
  write: (line: string) => void;
  now?: () => Date;
}): Logger {
  const secrets = new Set<string>();
  const threshold = RANK[options.level];
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string): void => {
    if (RANK[level] > threshold) return;
    const stamp = options.now ? `${options.now().toISOString()} ` : '';
    options.write(`${stamp}${PRODUCT}: ${level}: ${oneLine(redact(message, secrets))}\n`);
  };
  return {
    error: (message) => emit('error', message),
    warn: (message) => emit('warn', message),
    info: (message) => emit('info', message),
    debug: (message) => emit('debug', message),
    addSecret: (secret) => {
      if (secret) secrets.add(secret);
    },
  };
}

/** A logger that drops everything (tests, library callers that want silence). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => undefined });
