/**
 * Pure part of `configure --kubelet` (docs/kubelet.md): a CredentialProviderConfig text + the
 * provider entry we want -> the new text. An existing file keeps every other provider, key and
 * byte; ours is added first (the kubelet prefers the earlier provider's answer for the same
 * registry) or updated in place, keeping what its owner added (more matchImages, env, token
 * settings). JSON only: the kubelet reads JSON as well as YAML, and a YAML edit could not be
 * minimal without a YAML library.
 */
import {
  applyEdits,
  modify,
  parseTree,
  type FormattingOptions,
  type ParseError,
} from 'jsonc-parser';
import { HelperError } from '../errors';
import { isJsonObject, parseJsonObject } from '../json';
import { KUBELET_API_VERSIONS } from '../protocol/kubelet-request';

/** The config file's own apiVersion that we write (and the versions the kubelet reads). */
export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1';
const CONFIG_API_VERSIONS = [
  KUBELET_CONFIG_API_VERSION,
  'kubelet.config.k8s.io/v1beta1',
  'kubelet.config.k8s.io/v1alpha1',
];

/** One `env` entry of a provider. */
export interface ProviderEnv {
  readonly name: string;
  readonly value: string;
}

/** The provider entry configure wants. */
export interface WantedProvider {
  readonly name: string;
  readonly matchImages: readonly string[];
  readonly env: readonly ProviderEnv[];
}

/** The outcome: the new text (null: already as wanted) and what changed, in words. */
export interface KubeletConfigPlan {
  readonly text: string | null;
  readonly changes: readonly string[];
  /** Other providers that the kubelet also runs for ECR images (to tell the user). */
  readonly others: readonly string[];
}

/** The fields every provider entry of ours carries, in the order they are written. */
export function providerEntry(wanted: WantedProvider): Record<string, unknown> {
  return {
    name: wanted.name,
    matchImages: [...wanted.matchImages],
    // Every answer carries its own cacheDuration (up to the token's refresh point), so this
    // default never applies; 0 keeps an answer without one from being cached at all.
    defaultCacheDuration: '0s',
    apiVersion: KUBELET_API_VERSIONS[0],
    args: ['get-credentials'],
    env: wanted.env.map((entry) => ({ name: entry.name, value: entry.value })),
  };
}

type Json = Record<string, unknown>;

/** Plans the edit of `text` (empty: no file yet); `file` names it in errors. */
export function planKubeletConfig(
  text: string,
  wanted: WantedProvider,
  file: string,
  covers: (pattern: string, image: string) => boolean,
): KubeletConfigPlan {
  if (text.trim() === '') {
    const config = {
      apiVersion: KUBELET_CONFIG_API_VERSION,
      kind: 'CredentialProviderConfig',
      providers: [providerEntry(wanted)],
    };
    return {
      text: `${JSON.stringify(config, null, 2)}\n`,
      changes: [`add provider ${JSON.stringify(wanted.name)}`],
      others: [],
    };
  }
  const { providers } = parseConfig(text, file);
  const formattingOptions = formattingOf(text);
  if (providers === undefined) {
    const edits = modify(text, ['providers'], [providerEntry(wanted)], { formattingOptions });
    return {
      text: applyEdits(text, edits),
      changes: [`add provider ${JSON.stringify(wanted.name)}`],
      others: [],
    };
  }
  const index = providers.findIndex((provider) => provider['name'] === wanted.name);
  const others = providers
    .filter((provider, at) => at !== index && coversEcr(provider, covers))
    .map((provider) => String(provider['name']));
  if (index === -1) {
    const edits = modify(text, ['providers', 0], providerEntry(wanted), {
      formattingOptions,
      isArrayInsertion: true,
    });
    return {
      text: applyEdits(text, edits),
      changes: [`add provider ${JSON.stringify(wanted.name)} (first of ${providers.length + 1})`],
      others,
    };
  }
  const { value, changes } = merged(providers[index] ?? {}, wanted, file);
  if (changes.length === 0) return { text: null, changes, others };
  const edits = modify(text, ['providers', index], value, { formattingOptions });
  return { text: applyEdits(text, edits), changes, others };
}

/** Our entry updated in place: our fields set, the owner's additions kept. */
function merged(
  current: Json,
  wanted: WantedProvider,
  file: string,
): { value: Json; changes: string[] } {
  const changes: string[] = [];
  const want = providerEntry(wanted);
  const value: Json = { ...current };
  const at = `provider ${JSON.stringify(wanted.name)}`;
  const oldImages = stringList(current['matchImages'], `${at}.matchImages`, file);
  const images = [
    ...wanted.matchImages,
    ...oldImages.filter((image) => !wanted.matchImages.includes(image)),
  ];
  if (!sameList(images, oldImages)) {
    value['matchImages'] = images;
    const added = images.filter((image) => !oldImages.includes(image));
    changes.push(`${at}: matchImages ${added.length > 0 ? `+ ${added.join(', ')}` : 'reordered'}`);
  }
  // An older version the kubelet supports is kept: it is what this kubelet was set up with.
  if (!KUBELET_API_VERSIONS.some((known) => known === current['apiVersion'])) {
    value['apiVersion'] = want['apiVersion'];
    changes.push(`${at}: apiVersion = ${String(want['apiVersion'])}`);
  }
  if (!sameList(stringList(current['args'] ?? [], `${at}.args`, file), ['get-credentials'])) {
    value['args'] = want['args'];
    changes.push(`${at}: args = ["get-credentials"]`);
  }
  if (current['defaultCacheDuration'] === undefined) {
    value['defaultCacheDuration'] = want['defaultCacheDuration'];
    changes.push(`${at}: defaultCacheDuration = "0s"`);
  }
  const env = envList(current['env'], `${at}.env`, file);
  for (const entry of wanted.env) {
    const existing = env.find((item) => item.name === entry.name);
    if (existing?.value === entry.value) continue;
    if (existing) existing.value = entry.value;
    else env.push({ ...entry });
    changes.push(`${at}: env ${entry.name} = ${JSON.stringify(entry.value)}`);
  }
  if (changes.some((change) => change.startsWith(`${at}: env `))) value['env'] = env;
  return { value, changes };
}

/** True when a provider's matchImages cover ECR hosts we serve: the kubelet runs it too. */
function coversEcr(provider: Json, covers: (pattern: string, image: string) => boolean): boolean {
  const images = Array.isArray(provider['matchImages'])
    ? (provider['matchImages'] as unknown[])
    : [];
  const samples = ['123456789012.dkr.ecr.us-east-1.amazonaws.com/app', 'public.ecr.aws/app'];
  return images.some(
    (pattern) => typeof pattern === 'string' && samples.some((image) => covers(pattern, image)),
  );
}

/** The file's providers (undefined: it has none yet), after checking it is a config the kubelet reads. */
function parseConfig(text: string, file: string): { providers: Json[] | undefined } {
  const refuse = (what: string): HelperError =>
    new HelperError('CONFIG', `${file} ${what}; configure --kubelet left it untouched`);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const value = parseJsonObject(text);
  if (errors.length > 0 || tree === undefined || value === 'not JSON') {
    throw refuse(
      'is not JSON (YAML?): configure --kubelet edits JSON files only. The kubelet reads JSON too: convert it, or name a new file with --config',
    );
  }
  if (value === 'not an object') throw refuse('is not a JSON object');
  if (value['kind'] !== 'CredentialProviderConfig') {
    throw refuse(
      `has kind ${JSON.stringify(value['kind'] ?? null)}, not "CredentialProviderConfig"`,
    );
  }
  if (!CONFIG_API_VERSIONS.includes(String(value['apiVersion']))) {
    throw refuse(
      `has apiVersion ${JSON.stringify(value['apiVersion'] ?? null)}, which the kubelet does not read (expected ${KUBELET_CONFIG_API_VERSION})`,
    );
  }
  const providers = value['providers'];
  if (providers === undefined || providers === null) return { providers: undefined };
  if (!Array.isArray(providers) || !providers.every(isJsonObject)) {
    throw refuse('has "providers" that is not a list of objects');
  }
  return { providers };
}

function stringList(value: unknown, where: string, file: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new HelperError(
      'CONFIG',
      `${file}: ${where} is not a list of strings; configure --kubelet left it untouched`,
    );
  }
  return value as string[];
}

function envList(value: unknown, where: string, file: string): { name: string; value: string }[] {
  if (value === undefined || value === null) return [];
  const ok =
    Array.isArray(value) &&
    value.every(
      (item) =>
        isJsonObject(item) && typeof item['name'] === 'string' && typeof item['value'] === 'string',
    );
  if (!ok) {
    throw new HelperError(
      'CONFIG',
      `${file}: ${where} is not a list of {"name","value"}; configure --kubelet left it untouched`,
    );
  }
  return (value as ProviderEnv[]).map((item) => ({ name: item.name, value: item.value }));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function formattingOf(text: string): FormattingOptions {
  const indent = /^\{\s*?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return indent.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent.length, eol };
}
