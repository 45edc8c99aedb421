/**
 * The registry login in a Secrets Manager secret string: `{"username": "...", "password": "..."}`,
 * the format ECS uses for private registry authentication. Pure. Errors never quote the secret.
 */
import { HelperError } from '../errors';
import { parseJsonObject } from '../json';

/** A registry user name and password. */
interface SecretLogin {
  readonly username: string;
  readonly password: string;
}

const FORMAT = 'a JSON object {"username": "...", "password": "..."}';

/** Reads the login; a malformed secret is a BAD_SECRET error naming the secret, not its content. */
export function parseSecret(text: string | undefined, secretId: string): SecretLogin {
  const bad = (problem: string): HelperError =>
    new HelperError(
      'BAD_SECRET',
      `the Secrets Manager secret ${JSON.stringify(secretId)} ${problem}. Store the registry login as ${FORMAT} (the format ECS uses for private registry authentication)`,
    );
  if (text === undefined) throw bad('has no string value (it is binary)');
  const record = parseJsonObject(text);
  if (record === 'not JSON') throw bad('is not valid JSON');
  if (record === 'not an object') throw bad('is not a JSON object');
  for (const key of ['username', 'password']) {
    const field = record[key];
    if (typeof field !== 'string' || field === '') throw bad(`has no "${key}" string`);
  }
  return { username: record['username'] as string, password: record['password'] as string };
}
