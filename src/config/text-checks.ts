/**
 * Character-level checks for config file values, written as loops rather than regular
 * expressions on purpose: the whole file is validated on every call (the cache-hit `get`
 * included), and V8 compiles a regular expression to machine code once it runs it a second time.
 * Measured with a 100-entry file: the validation took ~8 ms of a cold call with expressions, most
 * of it compiling them. Pure.
 */

/** A character class, as a predicate on one UTF-16 code. */
type CharClass = (code: number) => boolean;

const isLower: CharClass = (c) => c >= 97 && c <= 122;
const isDigit: CharClass = (c) => c >= 48 && c <= 57;
const isAlnum: CharClass = (c) => isLower(c) || isDigit(c) || (c >= 65 && c <= 90);
/** `\w` and the extra characters given. */
const wordOr =
  (extra: string): CharClass =>
  (c) =>
    isAlnum(c) || c === 95 || extra.includes(String.fromCharCode(c));

/** True when `text` has `min`..`max` characters, all in `allowed`. */
function consistsOf(text: string, min: number, max: number, allowed: CharClass): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i += 1) if (!allowed(text.charCodeAt(i))) return false;
  return true;
}

/** `docker-credential-<name>`'s name: a letter or digit, then letters, digits, `.`, `_`, `-`. */
export function isHelperName(text: string): boolean {
  return isAlnum(text.charCodeAt(0)) && consistsOf(text, 1, 100, wordOr('.-'));
}

/** An STS role session name. */
export function isSessionName(text: string): boolean {
  return consistsOf(text, 2, 64, wordOr('+=,.@-'));
}

/** An STS external id. */
export function isExternalId(text: string): boolean {
  return consistsOf(text, 2, 1224, wordOr('+=,.@:/-'));
}

/** A profile name of the shared AWS config: no white space. */
export function isProfileName(text: string): boolean {
  return consistsOf(text, 1, 128, (c) => c > 32 && c !== 127);
}

/** An AWS region name: `eu-west-1`, `us-gov-west-1`, `eusc-de-east-1`. */
export function isRegion(text: string): boolean {
  const parts = text.split('-');
  const last = parts.pop() ?? '';
  const first = parts[0] ?? '';
  return (
    parts.length >= 2 &&
    first.length >= 2 &&
    first.length <= 4 &&
    parts.every((part) => consistsOf(part, 1, 20, isLower)) &&
    consistsOf(last, 1, 2, isDigit)
  );
}

/** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`, ... */
function isPartition(text: string): boolean {
  const [head, ...rest] = text.split('-');
  return head === 'aws' && rest.every((part) => consistsOf(part, 1, 10, isLower));
}

/** `arn:<partition>:iam::<12 digits>:role/<path and name>`. */
export function isRoleArn(text: string): boolean {
  const parts = text.split(':');
  const resource = parts[5] ?? '';
  return (
    parts.length === 6 &&
    parts[0] === 'arn' &&
    isPartition(parts[1] ?? '') &&
    parts[2] === 'iam' &&
    parts[3] === '' &&
    consistsOf(parts[4] ?? '', 12, 12, isDigit) &&
    resource.startsWith('role/') &&
    consistsOf(resource.slice(5), 1, 512, wordOr('+=,.@/-'))
  );
}

/** A Secrets Manager secret ARN, or a secret name. */
export function isSecretId(text: string): boolean {
  const nameChars = wordOr('/+=.@-');
  if (!text.startsWith('arn:')) return consistsOf(text, 1, 512, nameChars);
  const parts = text.split(':');
  return (
    parts.length === 7 &&
    isPartition(parts[1] ?? '') &&
    parts[2] === 'secretsmanager' &&
    isRegion(parts[3] ?? '') &&
    consistsOf(parts[4] ?? '', 12, 12, isDigit) &&
    parts[5] === 'secret' &&
    consistsOf(parts[6] ?? '', 1, 512, nameChars)
  );
}

/** A `registries` key's host part: dot-separated non-empty labels of `a-z`, `0-9`, `-`, `*`. */
export function isHostPattern(text: string): boolean {
  const label: CharClass = (c) => isLower(c) || isDigit(c) || c === 45 || c === 42;
  return text.split('.').every((part) => consistsOf(part, 1, 63, label));
}

/** A port as written in a key: 1 to 5 digits. */
export function isPortText(text: string): boolean {
  return consistsOf(text, 1, 5, isDigit);
}
