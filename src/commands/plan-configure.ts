/**
 * Pure part of `configure`: docker config text + the wanted entries -> the new text and what
 * changed. Every other key keeps its value, its place and its exact text; nothing changes when
 * nothing must.
 */
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parseTree,
  type FormattingOptions,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { HelperError } from '../errors';
import { quoteServerUrl } from '../quote';
import { parseRegistry } from '../registry/parse-registry';

/** The credsStore / credHelpers value that makes docker run `docker-credential-ecr-ts`. */
export const HELPER_SUFFIX = 'ecr-ts';

/** What `configure` was asked to write. */
export interface ConfigureRequest {
  /** ECR registries (hosts, URLs or image references) to route to the helper in credHelpers. */
  readonly registries: readonly string[];
  /** Also make the helper docker's credsStore (universal mode). */
  readonly store: boolean;
  /**
   * Take the helper out instead (`configure --remove`): here, the credHelpers entries that name it
   * (all of them, or those of `registries`; none when only `store` is given). A credsStore that
   * names it is undone by remove.ts through unstore.ts, which puts the logins back first.
   */
  readonly remove?: boolean;
}

/** One entry of the docker config that `configure` sets or removes. */
export interface ConfigureChange {
  /** `credsStore`, or `credHelpers["<host>"]`. */
  readonly key: string;
  /** The value before, undefined when the key was absent. */
  readonly before: string | undefined;
  /** The value after, undefined when the key was removed. */
  readonly after: string | undefined;
}

/** The outcome of planning: the changes and, when there are any, the whole new file text. */
export interface ConfigurePlan {
  readonly changes: readonly ConfigureChange[];
  /** Entries that already had the wanted value. */
  readonly unchanged: readonly string[];
  readonly text: string | null;
}

/** Validates the registries as ECR hosts and returns them as docker looks them up (host only). */
function registryHosts(registries: readonly string[]): string[] {
  const hosts: string[] = [];
  for (const input of registries) {
    const registry = parseRegistry(input);
    if (registry.kind === 'other') {
      throw new HelperError(
        'USAGE',
        `${quoteServerUrl(input)} is not an Amazon ECR registry: expected a host like 123456789012.dkr.ecr.us-east-1.amazonaws.com or public.ecr.aws`,
      );
    }
    if (!hosts.includes(registry.host)) hosts.push(registry.host);
  }
  return hosts;
}

/** Computes the new docker config text for `request`; throws CONFIG on a file docker cannot use. */
export function planConfigure(
  text: string,
  request: ConfigureRequest,
  file: string,
): ConfigurePlan {
  if (request.remove === true) return planRemoval(text, request, file);
  const hosts = registryHosts(request.registries);
  const config = parseConfig(text, file);
  const changes: ConfigureChange[] = [];
  const unchanged: string[] = [];
  const edits: { path: string[]; value: unknown }[] = [];
  const set = (key: string, before: unknown, path: string[]): void => {
    if (before === HELPER_SUFFIX) {
      unchanged.push(key);
      return;
    }
    edits.push({ path, value: HELPER_SUFFIX });
    changes.push({
      key,
      before: typeof before === 'string' ? before : undefined,
      after: HELPER_SUFFIX,
    });
  };
  if (request.store) set('credsStore', config.value['credsStore'], ['credsStore']);
  if (hosts.length > 0) {
    const helpers = credHelpers(config, file);
    for (const host of hosts) {
      set(`credHelpers[${JSON.stringify(host)}]`, helpers?.[host], ['credHelpers', host]);
    }
  }
  if (changes.length === 0) return { changes, unchanged, text: null };
  const after = edit(text, config.value, edits);
  // The edit is text surgery: check it said what was meant before anyone writes it.
  const written = JSON.parse(after) as Record<string, unknown>;
  const helpersAfter = written['credHelpers'] as Record<string, unknown> | undefined;
  const landed =
    (!request.store || written['credsStore'] === HELPER_SUFFIX) &&
    hosts.every((host) => helpersAfter?.[host] === HELPER_SUFFIX);
  if (!landed) throw new HelperError('INTERNAL', `internal error: editing ${file} went wrong`);
  return { changes, unchanged, text: after };
}

/**
 * `configure --remove`'s part of the text: the credHelpers entries that name this helper leave the
 * file (a credHelpers object left empty goes with them). Entries naming another helper are never
 * touched, and credsStore is not this planner's (remove.ts undoes it with the logins). Like
 * planConfigure, the text keeps every other byte.
 */
function planRemoval(text: string, request: ConfigureRequest, file: string): ConfigurePlan {
  const hosts = registryHosts(request.registries);
  const config = parseConfig(text, file);
  const changes: ConfigureChange[] = [];
  const edits: { path: string[]; value: unknown }[] = [];
  const everything = hosts.length === 0 && !request.store;
  const helpers = credHelpers(config, file) ?? {};
  const ours = Object.keys(helpers).filter(
    (host) => helpers[host] === HELPER_SUFFIX && (everything || hosts.includes(host)),
  );
  for (const host of ours) {
    changes.push({
      key: `credHelpers[${JSON.stringify(host)}]`,
      before: HELPER_SUFFIX,
      after: undefined,
    });
  }
  if (ours.length > 0 && ours.length === Object.keys(helpers).length) {
    edits.push({ path: ['credHelpers'], value: undefined });
  } else {
    for (const host of ours) edits.push({ path: ['credHelpers', host], value: undefined });
  }
  if (changes.length === 0) return { changes, unchanged: [], text: null };
  const after = edit(text, config.value, edits);
  const written = JSON.parse(after) as Record<string, unknown>;
  const helpersAfter = (written['credHelpers'] ?? {}) as Record<string, unknown>;
  const landed =
    ours.every((host) => !(host in helpersAfter)) &&
    Object.keys(helpers)
      .filter((host) => !ours.includes(host))
      .every((host) => helpersAfter[host] === helpers[host]) &&
    written['credsStore'] === config.value['credsStore'];
  if (!landed) throw new HelperError('INTERNAL', `internal error: editing ${file} went wrong`);
  return { changes, unchanged: [], text: after };
}

/** The parsed file: its values (JSON.parse) and its syntax tree (offsets, duplicate keys). */
interface ParsedConfig {
  readonly value: Record<string, unknown>;
  readonly tree: Node | undefined;
}

const STRICT_JSON = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

function parseConfig(text: string, file: string): ParsedConfig {
  // Docker treats an empty file as an empty config.
  if (text.trim() === '') return { value: {}, tree: undefined };
  const refuse = (what: string): HelperError =>
    new HelperError('CONFIG', `${file} ${what}; fix it by hand, configure left it untouched`);
  if (text.startsWith('\ufeff')) {
    throw refuse(
      'starts with a byte order mark (U+FEFF), which docker cannot read: save it as UTF-8 without one',
    );
  }
  let value: unknown;
  let parseFailure: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    parseFailure = error;
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, STRICT_JSON);
  if (parseFailure !== undefined || errors.length > 0 || tree === undefined) {
    // Only a position: the parser's own message quotes the text around it, which may be part
    // of a base64 `auth` value (a registry password).
    const offset = errors[0]?.offset ?? v8Position(parseFailure);
    throw refuse(
      `is not valid JSON${offset === undefined ? '' : ` (${lineAndColumn(text, offset)})`}`,
    );
  }
  if (!isRecord(value) || tree.type !== 'object') throw refuse('is not a JSON object');
  refuseDuplicates(tree, ['credsStore', 'credHelpers'], refuse);
  return { value, tree };
}

/** The offset in V8's message ("... in JSON at position 12"), when jsonc-parser found none. */
function v8Position(error: unknown): number | undefined {
  const match = / at position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match ? Number(match[1]) : undefined;
}

/** `line L, column C`, both counted from 1 (columns in UTF-16 code units, as editors mostly do). */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}

/**
 * Docker reads the last of two equal keys; an edit would change the first. Refused for the keys
 * configure sets, where it would make the change silently ineffective.
 */
function refuseDuplicates(
  object: Node,
  keys: readonly string[],
  refuse: (what: string) => HelperError,
): void {
  const seen = new Set<string>();
  for (const property of object.children ?? []) {
    const key: unknown = property.children?.[0]?.value;
    if (typeof key !== 'string' || !keys.includes(key)) continue;
    if (seen.has(key)) throw refuse(`has the key ${JSON.stringify(key)} twice`);
    seen.add(key);
  }
}

function credHelpers(config: ParsedConfig, file: string): Record<string, unknown> | undefined {
  const helpers = config.value['credHelpers'];
  if (helpers === undefined || helpers === null) return undefined;
  if (!isRecord(helpers)) {
    throw new HelperError(
      'CONFIG',
      `"credHelpers" in ${file} is not a JSON object; fix it by hand, configure left it untouched`,
    );
  }
  const node = config.tree && findNodeAtLocation(config.tree, ['credHelpers']);
  if (node) {
    refuseDuplicates(
      node,
      Object.keys(helpers),
      (what) =>
        new HelperError(
          'CONFIG',
          `"credHelpers" in ${file} ${what}; fix it by hand, configure left it untouched`,
        ),
    );
  }
  return helpers;
}

/**
 * Applies the edits to the text itself: everything else keeps its exact bytes, so numbers that
 * JSON.parse cannot hold (12345678901234567890, 1.50, 1e3) and string escapes survive, and the
 * file keeps its indentation (docker uses tabs), line ends and final newline.
 */
function edit(
  original: string,
  before: Record<string, unknown>,
  edits: readonly { path: string[]; value: unknown }[],
): string {
  const formattingOptions = formattingOf(original);
  let text = original.trim() === '' ? '{}' : original;
  const nullHelpers = before['credHelpers'] === null;
  const helperEdits = edits.filter((change) => change.path[0] === 'credHelpers');
  for (const change of edits) {
    if (nullHelpers && change.path[0] === 'credHelpers') continue;
    text = applyEdits(text, modify(text, change.path, change.value, { formattingOptions }));
  }
  if (nullHelpers && helperEdits.length > 0) {
    const helpers = Object.fromEntries(helperEdits.map((change) => [change.path[1], change.value]));
    text = applyEdits(text, modify(text, ['credHelpers'], helpers, { formattingOptions }));
  }
  if (original.trim() === '') text += formattingOptions.eol;
  return text;
}

function formattingOf(text: string): FormattingOptions {
  const indent = /^\{\s*?\n([ \t]+)"/.exec(text)?.[1] ?? '\t';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return indent.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent.length, eol };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
