/**
 * Pure part of `configure`: docker config text + the wanted entries -> the new text and what
 * changed. Every other key keeps its value and its place; nothing changes when nothing must.
 */
import { HelperError } from '../errors';
import { parseRegistry } from '../registry/parse-registry';

/** The credsStore / credHelpers value that makes docker run `docker-credential-ecr-ts`. */
export const HELPER_SUFFIX = 'ecr-ts';

/** What `configure` was asked to write. */
export interface ConfigureRequest {
  /** ECR registries (hosts, URLs or image references) to route to the helper in credHelpers. */
  readonly registries: readonly string[];
  /** Also make the helper docker's credsStore (universal mode). */
  readonly store: boolean;
}

/** One entry of the docker config that `configure` sets. */
export interface ConfigureChange {
  /** `credsStore`, or `credHelpers["<host>"]`. */
  readonly key: string;
  /** The value before, undefined when the key was absent. */
  readonly before: string | undefined;
  readonly after: string;
}

/** The outcome of planning: the changes and, when there are any, the whole new file text. */
export interface ConfigurePlan {
  readonly changes: readonly ConfigureChange[];
  /** Entries that already had the wanted value. */
  readonly unchanged: readonly string[];
  readonly text: string | null;
}

/** Validates the registries as ECR hosts and returns them as docker looks them up (host only). */
export function registryHosts(registries: readonly string[]): string[] {
  const hosts: string[] = [];
  for (const input of registries) {
    const registry = parseRegistry(input);
    if (registry.kind === 'other') {
      throw new HelperError(
        'USAGE',
        `${JSON.stringify(input)} is not an Amazon ECR registry: expected a host like 123456789012.dkr.ecr.us-east-1.amazonaws.com or public.ecr.aws`,
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
  const hosts = registryHosts(request.registries);
  const config = parseConfig(text, file);
  const changes: ConfigureChange[] = [];
  const unchanged: string[] = [];
  const set = (key: string, before: unknown, apply: () => void): void => {
    if (before === HELPER_SUFFIX) {
      unchanged.push(key);
      return;
    }
    apply();
    changes.push({
      key,
      before: typeof before === 'string' ? before : undefined,
      after: HELPER_SUFFIX,
    });
  };
  if (request.store) {
    set('credsStore', config['credsStore'], () => (config['credsStore'] = HELPER_SUFFIX));
  }
  if (hosts.length > 0) {
    const helpers = credHelpers(config, file);
    for (const host of hosts) {
      set(
        `credHelpers[${JSON.stringify(host)}]`,
        helpers[host],
        () => (helpers[host] = HELPER_SUFFIX),
      );
    }
    config['credHelpers'] = helpers;
  }
  if (changes.length === 0) return { changes, unchanged, text: null };
  return { changes, unchanged, text: serialize(config, text) };
}

function parseConfig(text: string, file: string): Record<string, unknown> {
  // Docker treats an empty file as an empty config.
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HelperError(
      'CONFIG',
      `${file} is not valid JSON (${reason}); fix it by hand, configure left it untouched`,
    );
  }
  if (!isRecord(value)) {
    throw new HelperError(
      'CONFIG',
      `${file} is not a JSON object; fix it by hand, configure left it untouched`,
    );
  }
  return value;
}

function credHelpers(config: Record<string, unknown>, file: string): Record<string, unknown> {
  const helpers = config['credHelpers'];
  if (helpers === undefined || helpers === null) return {};
  if (!isRecord(helpers)) {
    throw new HelperError(
      'CONFIG',
      `"credHelpers" in ${file} is not a JSON object; fix it by hand, configure left it untouched`,
    );
  }
  return helpers;
}

/** Writes JSON back in the file's own indentation (docker uses tabs) and final newline. */
function serialize(config: Record<string, unknown>, original: string): string {
  const indent = /^\{\s*?\n([ \t]+)"/.exec(original)?.[1] ?? '\t';
  const newline = original === '' || original.endsWith('\n') ? '\n' : '';
  return `${JSON.stringify(config, null, indent)}${newline}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
