/**
 * The universal-mode config file (docs/universal-mode.md), parsed strictly and purely: any unknown key, wrong
 * type or bad pattern is one CONFIG error naming the file and the key, e.g.
 * `<file>: registries["*.corp"].helper: expected a string`.
 */
import { HelperError } from '../errors';
import { firstDuplicateKey } from './duplicate-keys';
import { isJsonObject } from '../json';
import { parseRegistry } from '../registry/parse-registry';
import { compileHostPattern, keysCovering } from '../routing/host-pattern';
import type { EntryRoute } from '../routing/route';
import { routeTableOf, type RouteEntry, type RouteTable } from '../routing/route-table';
import { storeNameOf } from '../routing/routes';
import {
  isExternalId,
  isHelperName,
  isProfileName,
  isRegion,
  isRoleArn,
  isSecretId,
  isSessionName,
} from '../text-checks';
import type { AwsIdentity } from '../aws/aws-identity';
import type { StoreName } from '../stores/credential-store';

type Json = Record<string, unknown>;

const TOP_KEYS = ['fallback', 'registries'];
const IDENTITY_KEYS = ['profile', 'roleArn', 'externalId', 'sessionName'];
const KIND_KEYS = ['ecr', 'helper', 'secretsManager', 'anonymous'];
const ENTRY_KEYS = [...KIND_KEYS, ...IDENTITY_KEYS, 'region', 'cacheSeconds'];
/** Which keys each kind of entry accepts besides its own. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  ecr: IDENTITY_KEYS,
  helper: [],
  secretsManager: [...IDENTITY_KEYS, 'region', 'cacheSeconds'],
  anonymous: [],
  identity: IDENTITY_KEYS,
};

/** How long a Secrets Manager answer is reused unless the entry says otherwise. */
const DEFAULT_SECRET_CACHE_SECONDS = 900;
const MAX_CACHE_SECONDS = 43_200;

/** Parses and validates the whole file's text; `file` is its path, named in every error. */
export function parseConfigFile(text: string, file: string): RouteTable {
  const fail = failIn(file);
  const { fallback, registries } = parseTopLevel(text, fail);
  // A property of the text, checked with it whole (a recorded text had none).
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined)
    fail(duplicate, 'appears twice: keep one (JSON keeps only the last)');
  const entries = Object.keys(registries).map((key) => parseEntry(key, registries[key], fail));
  return routeTableOf(file, fallback, entries);
}

/**
 * Parses text that parseConfigFile accepted before (load-config.ts keeps that record): the top
 * level now, each entry only when it is asked for (all of them for `entries()`, those that may
 * cover the host for `entriesFor()`), through the same checks. The table is the one
 * parseConfigFile gives; a cache-hit `get` just skips the entries that are not about its host.
 */
export function parseValidatedConfigFile(text: string, file: string): RouteTable {
  const fail = failIn(file);
  const { fallback, registries } = parseTopLevel(text, fail);
  const keys = Object.keys(registries);
  const parsed = new Map<string, RouteEntry>();
  const entryOf = (key: string): RouteEntry => {
    let entry = parsed.get(key);
    if (!entry) parsed.set(key, (entry = parseEntry(key, registries[key], fail)));
    return entry;
  };
  return {
    file,
    fallback,
    entries: () => keys.map(entryOf),
    entriesFor: (target) => keys.filter(keysCovering(target)).map(entryOf),
  };
}

/** The errors of `file`: `<file>: <where>: <problem>`. */
function failIn(file: string): Fail {
  return (where, problem) => {
    throw new HelperError('CONFIG', `${file}: ${where ? `${where}: ` : ''}${problem}`);
  };
}

/** The JSON, its top-level keys checked, the fallback parsed. */
function parseTopLevel(text: string, fail: Fail): { fallback: StoreName; registries: Json } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser's reason names a position, never more than a few characters of the file.
    fail('', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const top = expectObject(value, '', fail);
  for (const key of Object.keys(top)) {
    if (!TOP_KEYS.includes(key)) fail(key, `unknown key (expected ${listOf(TOP_KEYS)})`);
  }
  // An explicit null is a wrong type, not an absent key.
  const fallback = top['fallback'] === undefined ? 'file' : top['fallback'];
  const registries = top['registries'] === undefined ? {} : top['registries'];
  return {
    fallback: parseStoreName(fallback, fail),
    registries: expectObject(registries, 'registries', fail),
  };
}

type Fail = (where: string, problem: string) => never;

function parseStoreName(value: unknown, fail: Fail): StoreName {
  const name = expectString(value, 'fallback', fail);
  if (name !== 'file' && name !== 'none' && !isHelperName(name)) {
    fail(
      'fallback',
      `expected "file", "none" or a helper name (docker-credential-<name> on PATH), got ${JSON.stringify(name)}`,
    );
  }
  return storeNameOf(name);
}

function parseEntry(key: string, raw: unknown, fail: Fail): RouteEntry {
  const at = `registries[${JSON.stringify(key)}]`;
  const pattern = compileHostPattern(key);
  if (typeof pattern === 'string') fail(at, `${pattern}, got ${JSON.stringify(key)}`);
  const entry = expectObject(raw, at, fail);
  for (const name of Object.keys(entry)) {
    if (!ENTRY_KEYS.includes(name))
      fail(`${at}.${name}`, `unknown key (expected ${listOf(ENTRY_KEYS)})`);
  }
  const kinds = KIND_KEYS.filter((name) => entry[name] !== undefined);
  if (kinds.length > 1) fail(at, `${listOf(kinds, 'and')} cannot be combined: choose one`);
  const kind = kinds[0] ?? 'identity';
  const allowed = ALLOWED[kind] ?? [];
  for (const name of Object.keys(entry)) {
    if (name !== kind && !allowed.includes(name)) {
      fail(
        `${at}.${name}`,
        kind === 'identity'
          ? 'applies to "secretsManager" entries only'
          : `not allowed with "${kind}"`,
      );
    }
  }
  return {
    key,
    pattern: pattern as Exclude<typeof pattern, string>,
    route: parseRoute(kind, entry, key, at, fail),
  };
}

function parseRoute(kind: string, entry: Json, key: string, at: string, fail: Fail): EntryRoute {
  const field = (name: string): string => `${at}.${name}`;
  switch (kind) {
    case 'helper': {
      const name = expectString(entry['helper'], field('helper'), fail);
      if (!isHelperName(name)) {
        fail(
          field('helper'),
          `expected a helper name (docker-credential-<name> on PATH), without a path, got ${JSON.stringify(name)}`,
        );
      }
      return { kind: 'store', store: { kind: 'helper', name } };
    }
    case 'anonymous':
      if (entry['anonymous'] !== true) fail(field('anonymous'), 'expected true');
      return { kind: 'anonymous' };
    case 'ecr': {
      const target = expectString(entry['ecr'], field('ecr'), fail);
      const registry = parseTarget(target);
      if (registry.kind === 'other') {
        fail(
          field('ecr'),
          `expected an ECR or ECR Public registry host, got ${JSON.stringify(target)}`,
        );
      }
      return {
        kind: 'alias',
        target: registry as Exclude<typeof registry, { kind: 'other' }>,
        identity: parseIdentity(entry, at, fail),
      };
    }
    case 'secretsManager': {
      const secretId = expectString(entry['secretsManager'], field('secretsManager'), fail);
      if (!isSecretId(secretId)) {
        fail(
          field('secretsManager'),
          `expected a secret ARN or name, got ${JSON.stringify(secretId)}`,
        );
      }
      const region = optionalString(entry['region'], field('region'), fail);
      if (region !== undefined && !isRegion(region)) {
        fail(field('region'), `expected an AWS region name, got ${JSON.stringify(region)}`);
      }
      const cacheSeconds = entry['cacheSeconds'] ?? DEFAULT_SECRET_CACHE_SECONDS;
      if (
        typeof cacheSeconds !== 'number' ||
        !Number.isInteger(cacheSeconds) ||
        cacheSeconds < 0 ||
        cacheSeconds > MAX_CACHE_SECONDS
      ) {
        fail(
          field('cacheSeconds'),
          `expected a whole number of seconds from 0 to ${MAX_CACHE_SECONDS}`,
        );
      }
      return {
        kind: 'secrets-manager',
        secretId,
        ...(region !== undefined ? { region } : {}),
        identity: parseIdentity(entry, at, fail),
        cacheSeconds: cacheSeconds as number,
      };
    }
    default: {
      // Only an identity, or nothing (`{}`: the default identity, a way to name the registry for
      // `list`): for ECR hosts. A literal key that is not ECR can be refused now.
      if (!key.includes('*') && parseRegistry(key).kind === 'other') {
        const what =
          Object.keys(entry).length === 0
            ? 'an empty entry names an ECR registry'
            : '"profile"/"roleArn" apply to ECR hosts only';
        fail(
          at,
          `${JSON.stringify(key)} is not an ECR registry host, and ${what}. Use "ecr" for an alias of an ECR registry, or "secretsManager"`,
        );
      }
      return { kind: 'ecr', identity: parseIdentity(entry, at, fail) };
    }
  }
}

/** Alias targets repeat (many names in front of one registry): each is classified once. */
const targets = new Map<string, ReturnType<typeof parseRegistry>>();
function parseTarget(target: string): ReturnType<typeof parseRegistry> {
  let registry = targets.get(target);
  if (!registry) targets.set(target, (registry = parseRegistry(target)));
  return registry;
}

function parseIdentity(entry: Json, at: string, fail: Fail): AwsIdentity {
  const read = (
    name: string,
    valid: (text: string) => boolean,
    expected: string,
  ): string | undefined => {
    const value = optionalString(entry[name], `${at}.${name}`, fail);
    if (value !== undefined && !valid(value)) {
      fail(`${at}.${name}`, `expected ${expected}, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const profile = read('profile', isProfileName, 'a profile name of ~/.aws/config');
  const roleArn = read(
    'roleArn',
    isRoleArn,
    'an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
  );
  const externalId = read(
    'externalId',
    isExternalId,
    '2 to 1224 characters of [A-Za-z0-9_+=,.@:/-]',
  );
  const sessionName = read(
    'sessionName',
    isSessionName,
    '2 to 64 characters of [A-Za-z0-9_+=,.@-]',
  );
  if (roleArn === undefined) {
    if (externalId !== undefined) fail(`${at}.externalId`, 'needs "roleArn"');
    if (sessionName !== undefined) fail(`${at}.sessionName`, 'needs "roleArn"');
  }
  return {
    ...(profile !== undefined ? { profile } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
    ...(externalId !== undefined ? { externalId } : {}),
    ...(sessionName !== undefined ? { sessionName } : {}),
  };
}

function expectObject(value: unknown, where: string, fail: Fail): Json {
  if (!isJsonObject(value)) {
    fail(where, 'expected an object');
  }
  return value as Json;
}

function expectString(value: unknown, where: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '') fail(where, 'expected a string');
  return value as string;
}

function optionalString(value: unknown, where: string, fail: Fail): string | undefined {
  return value === undefined ? undefined : expectString(value, where, fail);
}

function listOf(names: readonly string[], last = 'or'): string {
  const quoted = names.map((name) => `"${name}"`);
  return quoted.length < 2
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} ${last} ${quoted.at(-1)}`;
}
