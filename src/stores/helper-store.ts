/**
 * A CredentialStore that delegates to another `docker-credential-<name>` through a Program: its
 * answers are passed through (failure text and exit status, not-found included); a helper that
 * is missing, hangs, crashes or answers garbage becomes one line naming it. Its output is never
 * quoted in those lines: it may hold a password.
 */
import { HelperError, NOT_FOUND_TEXT, notFound } from '../errors';
import type { CredentialStore, Credentials } from './credential-store';
import type { ProgramOutcome, Program } from './program';

/** A store backed by `docker-credential-<name>`, run through `program`. */
export function createHelperStore(options: { name: string; program: Program }): CredentialStore {
  const label = `docker-credential-${options.name}`;
  const run = async (action: string, input: string): Promise<string> =>
    answerOf(label, action, await options.program(action, input));
  return {
    label,
    async get(serverUrl) {
      const value = parseJson(label, 'get', await run('get', serverUrl));
      const username = field(value, 'Username');
      const secret = field(value, 'Secret');
      if (username === undefined || secret === undefined) throw garbage(label, 'get');
      // docker-credential-helpers before 0.7 (Debian 12's docker-credential-pass) answer an
      // absent login with exit 0 and empty fields; docker then pulls anonymously, so that is
      // not-found, and saying so lets every caller fall back the same way.
      if (!username && !secret) throw notFound();
      return { serverUrl, username, secret };
    },
    async store(credentials: Credentials) {
      const { serverUrl, username, secret } = credentials;
      await run(
        'store',
        JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: secret }),
      );
    },
    async erase(serverUrl) {
      await run('erase', serverUrl);
    },
    async list() {
      const value = parseJson(label, 'list', await run('list', ''));
      const entries = Object.entries(value ?? {});
      if (entries.some(([, user]) => typeof user !== 'string')) throw garbage(label, 'list');
      return Object.fromEntries(entries) as Record<string, string>;
    },
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
      // Its own failure text, unchanged: callers may compare it (docker shows it to the user).
      throw new HelperError('DELEGATE', text, { exitCode });
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
    case 'too-large':
      throw new HelperError(
        'DELEGATE',
        `${label} answered ${action} with more than ${outcome.limitBytes / 1024 / 1024} MB and was stopped`,
      );
  }
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw garbage(label, action);
  }
  return value as Record<string, unknown>;
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
