/**
 * Character-level checks for config file values, written as loops rather than regular
 * expressions on purpose: the whole file is validated on every call (the cache-hit `get`
 * included), and V8 compiles a regular expression to machine code once it runs it a second time.
 * Measured with a 100-entry file: the validation took ~8 ms of a cold call with expressions, most
 * of it compiling them. Pure.
 */

/**
 * A character class: a table of the ASCII codes it allows. A table rather than a predicate per
 * character: this code runs once per process, in the interpreter, where a function call per
 * character was most of the cost (measured: 100 keys took 2 ms of a cold call that way). Each
 * table is built on its first use: building all of them when the module loads was a few percent
 * of a cache hit that used none (docs/benchmarks.md).
 */
type CharClass = Uint8Array;

/** The class of the given ranges (`'az'`) and single characters, built when first asked for. */
function charClass(ranges: readonly string[], singles = ''): () => CharClass {
  let table: CharClass | undefined;
  return () => {
    if (table) return table;
    table = new Uint8Array(128);
    for (const range of ranges) {
      for (let c = range.charCodeAt(0); c <= range.charCodeAt(1); c += 1) table[c] = 1;
    }
    for (let i = 0; i < singles.length; i += 1) table[singles.charCodeAt(i)] = 1;
    return table;
  };
}

const LOWER = charClass(['az']);
const DIGIT = charClass(['09']);
const ALNUM = charClass(['az', 'AZ', '09']);
/** `\w` and the extra characters given. */
const wordOr = (extra: string): (() => CharClass) => charClass(['az', 'AZ', '09'], `_${extra}`);
const HELPER_NAME = wordOr('.-');
const SESSION_NAME = wordOr('+=,.@-');
const EXTERNAL_ID = wordOr('+=,.@:/-');
const ROLE_PATH = wordOr('+=,.@/-');
const SECRET_NAME = wordOr('/+=.@-');
const HOST_LABEL = charClass(['az', '09'], '-*');

/** True when `text` has `min`..`max` characters, all in `allowed`. */
function consistsOf(
  text: string,
  min: number,
  max: number,
  allowedClass: () => CharClass,
): boolean {
  if (text.length < min || text.length > max) return false;
  const allowed = allowedClass();
  for (let i = 0; i < text.length; i += 1) {
    if (allowed[text.charCodeAt(i)] !== 1) return false;
  }
  return true;
}

/** `docker-credential-<name>`'s name: a letter or digit, then letters, digits, `.`, `_`, `-`. */
export function isHelperName(text: string): boolean {
  return ALNUM()[text.charCodeAt(0)] === 1 && consistsOf(text, 1, 100, HELPER_NAME);
}

/** An STS role session name. */
export function isSessionName(text: string): boolean {
  return consistsOf(text, 2, 64, SESSION_NAME);
}

/** An STS external id. */
export function isExternalId(text: string): boolean {
  return consistsOf(text, 2, 1224, EXTERNAL_ID);
}

/** A profile name of the shared AWS config: no white space. */
export function isProfileName(text: string): boolean {
  if (text.length < 1 || text.length > 128) return false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127) return false;
  }
  return true;
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
    parts.every((part) => consistsOf(part, 1, 20, LOWER)) &&
    consistsOf(last, 1, 2, DIGIT)
  );
}

/** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`, ... */
function isPartition(text: string): boolean {
  const [head, ...rest] = text.split('-');
  return head === 'aws' && rest.every((part) => consistsOf(part, 1, 10, LOWER));
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
    consistsOf(parts[4] ?? '', 12, 12, DIGIT) &&
    resource.startsWith('role/') &&
    consistsOf(resource.slice(5), 1, 512, ROLE_PATH)
  );
}

/** A Secrets Manager secret ARN, or a secret name. */
export function isSecretId(text: string): boolean {
  if (!text.startsWith('arn:')) return consistsOf(text, 1, 512, SECRET_NAME);
  const parts = text.split(':');
  return (
    parts.length === 7 &&
    isPartition(parts[1] ?? '') &&
    parts[2] === 'secretsmanager' &&
    isRegion(parts[3] ?? '') &&
    consistsOf(parts[4] ?? '', 12, 12, DIGIT) &&
    parts[5] === 'secret' &&
    consistsOf(parts[6] ?? '', 1, 512, SECRET_NAME)
  );
}

/** A `registries` key's host part: dot-separated non-empty labels of `a-z`, `0-9`, `-`, `*`. */
export function isHostPattern(text: string): boolean {
  return text.split('.').every((part) => consistsOf(part, 1, 63, HOST_LABEL));
}

/** A port as written in a key: 1 to 5 digits. */
export function isPortText(text: string): boolean {
  return consistsOf(text, 1, 5, DIGIT);
}
