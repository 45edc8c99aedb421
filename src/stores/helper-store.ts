/**
 * A CredentialStore that delegates to another `docker-credential-<name>` through a Program: its
 * answers are passed through (failure text and exit status, not-found included); a helper that
 * is missing, hangs, crashes or answers garbage becomes one line naming it. Its output is never
 * quoted in those lines: it may hold a password.
 */
import { HelperError, NOT_FOUND_TEXT, notFound } from '../errors';
import { isJsonObject } from '../json';
import type { Logger } from '../log';
import type { CredentialStore, Credentials } from './credential-store';
import type { ProgramOutcome, Program } from './program';

/** A failure text longer than this is relayed cut: docker shows it whole, in one line. */
const MAX_RELAYED_CHARS = 4096;

/**
 * A store backed by `docker-credential-<name>`, run through `program`. `log` gets what the helper
 * printed on stderr (debug), after the secret its answer holds was registered with the masking.
 */
export function createHelperStore(options: {
  name: string;
  program: Program;
  log?: Pick<Logger, 'debug' | 'addSecret'>;
}): CredentialStore {
  const label = `docker-credential-${options.name}`;
  const { log } = options;
  /** Runs `action`, reads its answer with `read`, and only then logs its stderr. */
  const run = async <T>(action: string, input: string, read: (stdout: string) => T): Promise<T> => {
    const outcome = await options.program(action, input);
    try {
      return read(answerOf(label, action, outcome));
    } finally {
      if (outcome.stderr) log?.debug(`${label} said: ${outcome.stderr}`);
    }
  };
  return {
    label,
    get: (serverUrl) =>
      run('get', serverUrl, (stdout) => {
        const value = parseJson(label, 'get', stdout);
        const username = field(value, 'Username');
        const secret = field(value, 'Secret');
        if (username === undefined || secret === undefined) throw garbage(label, 'get');
        log?.addSecret(secret);
        // docker-credential-helpers before 0.7 (Debian 12's docker-credential-pass) answer an
        // absent login with exit 0 and empty fields; docker then pulls anonymously, so that is
        // not-found, and saying so lets every caller fall back the same way.
        if (!username && !secret) throw notFound();
        return { serverUrl, username, secret };
      }),
    async store(credentials: Credentials) {
      const { serverUrl, username, secret } = credentials;
      log?.addSecret(secret);
      const input = JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret });
      await run('store', input, () => undefined);
    },
    async erase(serverUrl) {
      await run('erase', serverUrl, () => undefined);
    },
    list: () =>
      run('list', '', (stdout) => {
        const value = parseJson(label, 'list', stdout);
        const entries = Object.entries(value ?? {});
        if (entries.some(([, user]) => typeof user !== 'string')) throw garbage(label, 'list');
        return Object.fromEntries(entries) as Record<string, string>;
      }),
  };
}

/** stdout of a successful run; every other outcome as the error the caller reports. */
function answerOf(label: string, action: string, outcome: ProgramOutcome): string {
  switch (outcome.kind) {
    case 'exited': {
      if (outcome.status === 0) return outcome.stdout;
      const text = outcome.stdout.trim();
      const exitCode = outcome.status;
      if (text === NOT_FOUND_TEXT) throw new HelperError('NOT_FOUND', NOT_FOUND_TEXT, { exitCode });
      if (!text) {
        throw new HelperError(
          'DELEGATE',
          `${label} failed during ${action} (exit status ${exitCode}) without a message; run it by hand to see why`,
          { exitCode },
        );
      }
      // Its own failure text, unchanged (callers may compare it; docker shows it to the user),
      // unless it is too long to be a message.
      throw new HelperError('DELEGATE', relayed(label, text), { exitCode });
    }
    case 'killed':
      throw new HelperError('DELEGATE', `${label} crashed during ${action} (${outcome.signal})`);
    case 'missing':
      throw new HelperError(
        'DELEGATE',
        `${label} could not be started (${outcome.reason}): check that it is installed and executable`,
      );
    case 'timeout':
      throw new HelperError(
        'TIMEOUT',
        `${label} did not answer ${action} within ${outcome.seconds} s and was stopped: check that it works on its own (it may be waiting for a passphrase), or raise ECR_TS_TIMEOUT (seconds)`,
      );
    case 'no-time':
      throw new HelperError(
        'TIMEOUT',
        `${label} was not asked to ${action}: the call's time bound was used up before it; raise ECR_TS_TIMEOUT (seconds)`,
      );
    case 'too-large':
      throw new HelperError(
        'DELEGATE',
        `${label} answered ${action} with more than ${outcome.limitBytes / 1024 / 1024} MB and was stopped`,
      );
  }
}

/** `text`, or its start and a note that it was cut. */
function relayed(label: string, text: string): string {
  if (text.length <= MAX_RELAYED_CHARS) return text;
  return `${text.slice(0, MAX_RELAYED_CHARS)} [cut: ${label} printed ${text.length} characters]`;
}

function parseJson(label: string, action: string, text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw garbage(label, action);
  }
  // `list` of an empty store is `{}`; some helpers print `null`.
  if (value === null && action === 'list') return null;
  if (!isJsonObject(value)) {
    throw garbage(label, action);
  }
  return value;
}

function field(value: Record<string, unknown> | null, key: string): string | undefined {
  const found = value?.[key];
  return typeof found === 'string' ? found : undefined;
}

function garbage(label: string, action: string): HelperError {
  const what = action === 'list' ? 'a JSON object of server URLs' : 'credentials JSON';
  return new HelperError(
    'DELEGATE',
    `${label} answered ${action} with something other than ${what}`,
  );
}
