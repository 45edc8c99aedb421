/**
 * Docker's own config file, read the way docker finds it (`$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`) and only read: `list` learns from it which registries docker sends to
 * this helper (docs/clients.md#list). Its `auths` may hold plaintext logins, so no message ever
 * quotes its text.
 */
import { join } from 'node:path';
import type { ParseError } from 'jsonc-parser';
// The parser alone: jsonc-parser's main module also builds the formatter's tables of indents
// (1,200 strings), which a cache-miss-free `list` paid for on every call (docs/benchmarks.md).
import { parseTree } from 'jsonc-parser/lib/esm/impl/parser.js';
import { nonEmpty, type Env } from '../env';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../fs/read-regular-file';
import { PRODUCT } from '../product';

/** The name docker's config gives this helper (`credsStore: "ecr-ts"` runs `docker-credential-ecr-ts`). */
export const DOCKER_HELPER_NAME = PRODUCT.slice('docker-credential-'.length);

/** What `list` needs of docker's config. */
export interface DockerConfig {
  readonly credsStore?: string;
  /** `credHelpers`: registry host -> helper name. */
  readonly credHelpers: Readonly<Record<string, string>>;
  /** The `auths` keys whose entry carries no secret: the markers `docker login` leaves with a credsStore. */
  readonly markers: readonly string[];
}

/** The config file docker reads, or null when there is neither DOCKER_CONFIG nor a home folder. */
export function dockerConfigPath(env: Env, home: string | null): string | null {
  const dir = nonEmpty(env['DOCKER_CONFIG']);
  if (dir) return join(dir, 'config.json');
  return home === null ? null : join(home, '.docker', 'config.json');
}

/**
 * Reads and parses the file at `path`: a missing one is an empty config (as for docker); an
 * unreadable or malformed one is a CONFIG error naming the file and where, never its text.
 */
export function readDockerConfig(path: string): DockerConfig {
  let text: string;
  try {
    text = readRegularFile(path, MAX_SETTINGS_BYTES).bytes.toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { credHelpers: {}, markers: [] };
    throw new HelperError('CONFIG', `cannot read ${path} (${errorCode(error)})`);
  }
  const parsed = parseDockerConfig(text);
  if (typeof parsed === 'string') throw new HelperError('CONFIG', `${path}: ${parsed}`);
  return parsed;
}

/** The parts `list` uses, or why the text is not a docker config (never quoting it). */
export function parseDockerConfig(text: string): DockerConfig | string {
  // Docker reads an empty file as an empty config.
  if (text.trim() === '') return { credHelpers: {}, markers: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Only where, found by a parser of our own: the runtime's message quotes the text around the
    // error (which may be a saved login), and Bun's names no position at all.
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    const offset = errors[0]?.offset;
    if (offset === undefined) return 'not valid JSON';
    const before = text.slice(0, offset).split('\n');
    return `not valid JSON at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
  }
  if (!isRecord(value)) return 'not a JSON object';
  const { credsStore, credHelpers = {}, auths = {} } = value;
  if (credsStore !== undefined && typeof credsStore !== 'string') return 'credsStore: not a string';
  if (!isRecord(credHelpers)) return 'credHelpers: not an object';
  if (!isRecord(auths)) return 'auths: not an object';
  const helpers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [host, name] of Object.entries(credHelpers)) {
    if (typeof name === 'string') helpers[host] = name;
  }
  const markers = Object.entries(auths)
    .filter(([, entry]) => isRecord(entry) && !carriesSecret(entry))
    .map(([key]) => key);
  return { ...(credsStore ? { credsStore } : {}), credHelpers: helpers, markers };
}

/** An `auths` entry docker answers from itself: a saved login or token. */
function carriesSecret(entry: Record<string, unknown>): boolean {
  return ['auth', 'password', 'identitytoken', 'registrytoken'].some(
    (key) => typeof entry[key] === 'string' && entry[key] !== '',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
