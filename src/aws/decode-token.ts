/** Turns GetAuthorizationToken's answer into a registry user name and password. Pure. */
import { HelperError } from '../errors';
import type { EcrToken } from './token';

/** ECR tokens live 12 hours; used only if the answer lacks `expiresAt`. */
const DEFAULT_LIFETIME_MS = 12 * 3600_000;

/** Decodes the base64 `user:password` token; `now` dates a token that came without expiry. */
export function decodeToken(
  answer:
    | {
        authorizationToken?: string | undefined;
        expiresAt?: Date | undefined;
      }
    | undefined,
  now: number = Date.now(),
): EcrToken {
  const token = answer?.authorizationToken;
  if (!token) {
    throw new HelperError('AWS_API', 'GetAuthorizationToken returned no authorization data');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new HelperError(
      'AWS_API',
      'GetAuthorizationToken returned a malformed authorization token',
    );
  }
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    expiresAt: answer.expiresAt ? answer.expiresAt.getTime() : now + DEFAULT_LIFETIME_MS,
  };
}
