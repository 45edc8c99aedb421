/**
 * The closed set of failures the helper can report. Every error thrown deep in the code is a
 * HelperError with a stable `code`; failure-output.ts turns it into text and an exit status.
 */
import { escapeControls } from './quote';

export type ErrorCode =
  | 'NOT_FOUND' // not ours / no credentials for it: callers fall back (anonymous pull)
  | 'CANNOT_STORE' // store for a host we can neither keep nor hand to another helper
  | 'DELEGATE' // a delegated docker-credential-<name> failed, hung, or answered garbage
  | 'STORE' // the built-in file store cannot be read or written safely
  | 'NO_SERVER_URL'
  | 'NO_USERNAME'
  | 'BAD_INPUT'
  | 'USAGE'
  | 'CONFIG'
  | 'NO_AWS_CREDENTIALS'
  | 'AWS_CREDENTIALS'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'AWS_API'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'BAD_SECRET' // a Secrets Manager secret that is not {"username","password"}
  | 'INTERNAL';

/** The exact not-found text; docker, docker-py, podman and skopeo compare stdout to it. */
export const NOT_FOUND_TEXT = 'credentials not found in native keychain';
/** The exact empty-input text of docker-credential-helpers. */
export const NO_SERVER_URL_TEXT = 'no credentials server URL';
/** The exact store-without-username text of docker-credential-helpers. */
export const NO_USERNAME_TEXT = 'no credentials username';

/** A failure with a stable code and a one-line, secret-free message for the user. */
export class HelperError extends Error {
  override readonly name = 'HelperError';
  readonly code: ErrorCode;
  /** The exit status to end with (a delegated helper's own status is passed through); 1 if unset. */
  readonly exitCode: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(oneLine(message), options);
    this.code = code;
    this.exitCode = options?.exitCode;
  }
}

/** Not-found: the caller should fall back to anonymous access or another credential source. */
export function notFound(): HelperError {
  return new HelperError('NOT_FOUND', NOT_FOUND_TEXT);
}

/**
 * Collapses white space so a message always fits the protocol's one line, and escapes control
 * characters: server text (an AWS error message) must not drive the user's terminal.
 */
export function oneLine(text: string): string {
  return escapeControls(text.replace(/\s+/g, ' ').trim());
}

/** True for a HelperError with the given code. */
export function isHelperError(error: unknown, code?: ErrorCode): error is HelperError {
  // Duck-typed: the lazily loaded AWS bundle carries its own copy of this class.
  const candidate = error as Partial<HelperError> | null;
  return (
    candidate instanceof Error &&
    candidate.name === 'HelperError' &&
    typeof candidate.code === 'string' &&
    (code === undefined || candidate.code === code)
  );
}

/** Wraps anything thrown into a HelperError without leaking a stack or a secret. */
export function toHelperError(error: unknown): HelperError {
  if (isHelperError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new HelperError('INTERNAL', `internal error: ${detail}`, { cause: error });
}
