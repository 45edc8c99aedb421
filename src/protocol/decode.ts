/** Decodes what callers send on stdin, with the exact error texts of docker-credential-helpers. */
import { HelperError, NO_SERVER_URL_TEXT, NO_USERNAME_TEXT } from '../errors';
import { parseJsonObject } from '../json';
import { looksLikeKubeletRequest } from './kubelet-request';

/** Credentials as `store` receives them. */
interface Credentials {
  readonly serverUrl: string;
  readonly username: string;
  readonly secret: string;
}

/** The server URL of `get`/`erase`: the input trimmed; empty input is `no credentials server URL`. */
export function decodeServerUrl(input: string): string {
  const serverUrl = input.trim();
  if (!serverUrl) throw new HelperError('NO_SERVER_URL', NO_SERVER_URL_TEXT);
  // A kubelet wired to `get` (or to a docker helper by mistake) hears what to run instead.
  if (looksLikeKubeletRequest(serverUrl)) {
    throw new HelperError(
      'BAD_INPUT',
      'this is a kubelet CredentialProviderRequest, not a server URL: the kubelet must run this program with the argument get-credentials (args: ["get-credentials"] in its provider config)',
    );
  }
  return serverUrl;
}

/** The JSON document of `store`: `{"ServerURL","Username","Secret"}`. */
export function decodeStoreInput(input: string): Credentials {
  const record = parseJsonObject(input);
  if (record === 'not JSON') {
    throw new HelperError(
      'BAD_INPUT',
      'store expects JSON {"ServerURL","Username","Secret"} on stdin',
    );
  }
  if (record === 'not an object') {
    throw new HelperError(
      'BAD_INPUT',
      'store expects a JSON object {"ServerURL","Username","Secret"}',
    );
  }
  const serverUrl = stringField(record, 'ServerURL').trim();
  const username = stringField(record, 'Username');
  const secret = stringField(record, 'Secret');
  if (!serverUrl) throw new HelperError('NO_SERVER_URL', NO_SERVER_URL_TEXT);
  if (!username) throw new HelperError('NO_USERNAME', NO_USERNAME_TEXT);
  return { serverUrl, username, secret };
}

function stringField(record: Record<string, unknown>, key: string): string {
  const field = record[key];
  if (field === undefined || field === null) return '';
  if (typeof field !== 'string') {
    throw new HelperError('BAD_INPUT', `store input field "${key}" must be a string`);
  }
  return field;
}
