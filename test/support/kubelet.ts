/**
 * A kubelet emulation for tests: what the kubelet does with an image credential provider, ported
 * from the Kubernetes sources (pkg/credentialprovider/plugin/{plugin,config}.go,
 * pkg/credentialprovider/keyring.go, k8s.io/kubelet/.../credentialprovider/v1/types.go,
 * k8s.io/kubelet/config/v1/types.go). Written apart from the product's own code on purpose: it is
 * the oracle the product is checked against, so it must not share its mistakes.
 *
 * - The CredentialProviderConfig is decoded strictly (unknown or duplicate fields, wrong types and
 *   versions are errors) and validated as config.go does.
 * - A provider is run only for images its matchImages cover (Go's path.Match per host label, the
 *   port equal, the path a prefix), with the config's args and env appended to the kubelet's env.
 * - The response must name the configured apiVersion and decode strictly into the types of that
 *   version; a bad cacheKeyType, a missing serviceAccountTokenCacheType when a token was sent,
 *   or the token echoed as a password drop it.
 * - The credentials the kubelet would try for the image come from the keyring lookup.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';

/** The three request/response versions. */
export const PROVIDER_API_VERSIONS = [
  'credentialprovider.kubelet.k8s.io/v1',
  'credentialprovider.kubelet.k8s.io/v1beta1',
  'credentialprovider.kubelet.k8s.io/v1alpha1',
] as const;

/** The config file versions the kubelet reads. */
const CONFIG_API_VERSIONS = [
  'kubelet.config.k8s.io/v1',
  'kubelet.config.k8s.io/v1beta1',
  'kubelet.config.k8s.io/v1alpha1',
];

/** A decoded provider entry. */
export interface ProviderConfig {
  readonly name: string;
  readonly matchImages: readonly string[];
  readonly defaultCacheDurationMs: number;
  readonly apiVersion: string;
  readonly args: readonly string[];
  readonly env: readonly { name: string; value: string }[];
  readonly tokenAttributes?: Record<string, unknown>;
}

/** A decoded CredentialProviderResponse. */
export interface ProviderResponse {
  readonly cacheKeyType: string;
  /** undefined: absent or null (the config's default applies). */
  readonly cacheDurationMs: number | undefined;
  readonly serviceAccountTokenCacheType?: string;
  readonly auth: Readonly<Record<string, { username: string; password: string }>>;
}

/** What one pull did: whether the provider ran, its raw output, the decoded answer or the error. */
export interface PullResult {
  readonly ran: boolean;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The error the kubelet would log (then it pulls with no credentials). */
  readonly error?: string;
  readonly response?: ProviderResponse;
  /** The credentials the kubelet would try for the image, in its order. */
  readonly credentials: readonly { username: string; password: string }[];
}

// ---------------------------------------------------------------------------------------------
// Go's time.ParseDuration, as metav1.Duration uses it (the JSON value must be a string).

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds of a Go duration string; throws as time.ParseDuration fails. */
export function parseGoDuration(text: string): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`time: invalid duration "${text}"`);
  let total = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) {
      throw new Error(`time: invalid duration "${text}"`);
    }
    rest = rest.slice(number?.[0].length ?? 0);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) throw new Error(`time: missing unit in duration "${text}"`);
    const ms = UNIT_MS[unit];
    if (ms === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
    total += Number(`${whole || '0'}.${fraction ?? '0'}`) * ms;
    rest = rest.slice(unit.length);
  }
  return sign * total;
}

// ---------------------------------------------------------------------------------------------
// Go's path/filepath.Match on Unix (separator '/'), ported line by line.

class BadPattern extends Error {}

function scanChunk(pattern: string): { star: boolean; chunk: string; rest: string } {
  let p = pattern;
  let star = false;
  while (p.startsWith('*')) {
    p = p.slice(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  scan: for (; i < p.length; i += 1) {
    switch (p[i]) {
      case '\\':
        if (i + 1 < p.length) i += 1;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: p.slice(0, i), rest: p.slice(i) };
}

function getEsc(chunk: string): { r: string; rest: string } {
  if (chunk === '' || chunk[0] === '-' || chunk[0] === ']') throw new BadPattern();
  let c = chunk;
  if (c[0] === '\\') {
    c = c.slice(1);
    if (c === '') throw new BadPattern();
  }
  const r = c[0] ?? '';
  const rest = c.slice(1);
  if (rest === '') throw new BadPattern();
  return { r, rest };
}

function matchChunk(chunkIn: string, sIn: string): { rest: string; ok: boolean } {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const head = chunk[0];
    if (head === '[') {
      let r = '';
      if (!failed) {
        r = s[0] ?? '';
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk[0] === '^') {
        negated = true;
        chunk = chunk.slice(1);
      }
      let match = false;
      let ranges = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === ']' && ranges > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const low = getEsc(chunk);
        chunk = low.rest;
        let hi = low.r;
        if (chunk[0] === '-') {
          const high = getEsc(chunk.slice(1));
          hi = high.r;
          chunk = high.rest;
        }
        if (low.r <= r && r <= hi) match = true;
        ranges += 1;
      }
      if (match === negated) failed = true;
    } else if (head === '?') {
      if (!failed) {
        if (s[0] === '/') failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      if (head === '\\') {
        chunk = chunk.slice(1);
        if (chunk === '') throw new BadPattern();
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? { rest: '', ok: false } : { rest: s, ok: true };
}

/** filepath.Match: true/false, or throws BadPattern. */
export function goPathMatch(patternIn: string, nameIn: string): boolean {
  let pattern = patternIn;
  let name = nameIn;
  outer: while (pattern.length > 0) {
    const scanned = scanChunk(pattern);
    pattern = scanned.rest;
    const { star, chunk } = scanned;
    if (star && chunk === '') return !name.includes('/');
    const here = matchChunk(chunk, name);
    if (here.ok && (here.rest.length === 0 || pattern.length > 0)) {
      name = here.rest;
      continue;
    }
    if (star) {
      for (let i = 0; i < name.length && name[i] !== '/'; i += 1) {
        const skipped = matchChunk(chunk, name.slice(i + 1));
        if (skipped.ok) {
          if (pattern.length === 0 && skipped.rest.length > 0) continue;
          name = skipped.rest;
          continue outer;
        }
      }
    }
    while (pattern.length > 0) {
      const next = scanChunk(pattern);
      pattern = next.rest;
      matchChunk(next.chunk, '');
    }
    return false;
  }
  return name.length === 0;
}

// ---------------------------------------------------------------------------------------------
// keyring.go: ParseSchemelessURL, SplitURL, URLsMatchStr.

interface GoUrl {
  readonly host: string;
  readonly path: string;
}

/** url.Parse("https://" + text) with the scheme cleared (enough of Go's rules for image names). */
function parseSchemelessUrl(text: string): GoUrl {
  const whole = `https://${text}`;
  // eslint-disable-next-line no-control-regex -- Go's url.Parse refuses control characters
  if (/[\u0000-\u001f\u007f ]/.test(whole)) throw new Error(`invalid URL ${JSON.stringify(text)}`);
  const rest = whole.slice('https://'.length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const after = end === -1 ? '' : rest.slice(end);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (/[^A-Za-z0-9.\-_~:[\]*?!$&'()+,;=%^\\]/.test(host)) {
    throw new Error(`invalid host in URL ${JSON.stringify(text)}`);
  }
  const path = after.startsWith('/') ? (after.split(/[?#]/)[0] ?? '') : '';
  return { host, path };
}

/** net.SplitHostPort, or the whole host and no port when it fails. */
function splitUrl(url: GoUrl): { parts: string[]; port: string } {
  const { host } = url;
  const colon = host.lastIndexOf(':');
  const ok =
    colon !== -1 &&
    (host.startsWith('[')
      ? host.slice(0, colon).endsWith(']')
      : !host.slice(0, colon).includes(':'));
  if (!ok) return { parts: host.split('.'), port: '' };
  const name = host.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { parts: name.split('.'), port: host.slice(colon + 1) };
}

/** URLsMatchStr(glob, target): false on a parse error or a bad pattern, as the kubelet treats it. */
export function urlsMatchStr(glob: string, target: string): boolean {
  let globUrl: GoUrl;
  let targetUrl: GoUrl;
  try {
    globUrl = parseSchemelessUrl(glob);
    targetUrl = parseSchemelessUrl(target);
  } catch {
    return false;
  }
  const g = splitUrl(globUrl);
  const t = splitUrl(targetUrl);
  if (g.port !== t.port || g.parts.length !== t.parts.length) return false;
  if (!targetUrl.path.startsWith(globUrl.path)) return false;
  try {
    return g.parts.every((part, index) => goPathMatch(part, t.parts[index] ?? ''));
  } catch {
    return false;
  }
}

/** BasicDockerKeyring: Add the response's auth, then Lookup the image (reverse-sorted keys). */
export function keyringLookup(
  auth: Readonly<Record<string, { username: string; password: string }>>,
  image: string,
): { username: string; password: string }[] {
  const index = new Map<string, { username: string; password: string }[]>();
  for (const [location, entry] of Object.entries(auth)) {
    const value = /^https?:\/\//.test(location) ? location : `https://${location}`;
    let parsed: GoUrl;
    try {
      parsed = parseSchemelessUrl(value.replace(/^https?:\/\//, ''));
    } catch {
      continue;
    }
    let path = parsed.path;
    if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
    const key = path !== '' && path !== '/' ? parsed.host + path : parsed.host;
    index.set(key, [...(index.get(key) ?? []), entry]);
  }
  const keys = [...index.keys()].sort().reverse();
  return keys.filter((key) => urlsMatchStr(key, image)).flatMap((key) => index.get(key) ?? []);
}

// ---------------------------------------------------------------------------------------------
// Strict decoding: unknown fields, duplicate fields (case-sensitive names) and wrong types fail.

type Shape =
  | 'string'
  | 'bool'
  | 'duration'
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly object: Readonly<Record<string, Shape>> };

function decodeStrict(node: Node, shape: Shape, where: string): unknown {
  if (node.type === 'null') return undefined;
  if (shape === 'string') {
    if (node.type !== 'string') throw new Error(`${where}: expected a string`);
    return node.value as string;
  }
  if (shape === 'bool') {
    if (node.type !== 'boolean') throw new Error(`${where}: expected a boolean`);
    return node.value as boolean;
  }
  if (shape === 'duration') {
    if (node.type !== 'string') throw new Error(`${where}: a duration must be a string`);
    return parseGoDuration(node.value as string);
  }
  if ('list' in shape) {
    if (node.type !== 'array') throw new Error(`${where}: expected a list`);
    return (node.children ?? []).map((child, i) =>
      decodeStrict(child, shape.list, `${where}[${i}]`),
    );
  }
  if (node.type !== 'object') throw new Error(`${where}: expected an object`);
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    const key = String(keyNode?.value);
    if (seen.has(key)) throw new Error(`${where}: duplicate field "${key}"`);
    seen.add(key);
    const fieldShape = 'map' in shape ? shape.map : shape.object[key];
    if (fieldShape === undefined) throw new Error(`${where}: unknown field "${key}"`);
    if (valueNode) out[key] = decodeStrict(valueNode, fieldShape, `${where}.${key}`);
  }
  return out;
}

function tree(text: string, what: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (!root || errors.length > 0) throw new Error(`${what}: not valid JSON`);
  return root;
}

const AUTH_CONFIG: Shape = { object: { username: 'string', password: 'string' } };

function responseShape(apiVersion: string, tokenField: boolean): Shape {
  return {
    object: {
      apiVersion: 'string',
      kind: 'string',
      cacheKeyType: 'string',
      cacheDuration: 'duration',
      ...(apiVersion === PROVIDER_API_VERSIONS[0] && tokenField
        ? { serviceAccountTokenCacheType: 'string' as const }
        : {}),
      auth: { map: AUTH_CONFIG },
    },
  };
}

const CONFIG_SHAPE: Shape = {
  object: {
    apiVersion: 'string',
    kind: 'string',
    providers: {
      list: {
        object: {
          name: 'string',
          matchImages: { list: 'string' },
          defaultCacheDuration: 'duration',
          apiVersion: 'string',
          args: { list: 'string' },
          env: { list: { object: { name: 'string', value: 'string' } } },
          tokenAttributes: {
            object: {
              serviceAccountTokenAudience: 'string',
              cacheType: 'string',
              requireServiceAccount: 'bool',
              requiredServiceAccountAnnotationKeys: { list: 'string' },
              optionalServiceAccountAnnotationKeys: { list: 'string' },
            },
          },
        },
      },
    },
  },
};

/**
 * Decodes and validates a CredentialProviderConfig as the kubelet does at start (a failure here
 * stops the kubelet); `tokenGate`: the service-account token feature gate is on (1.34+ default).
 */
export function decodeProviderConfig(text: string, tokenGate = true): ProviderConfig[] {
  const root = tree(text, 'CredentialProviderConfig');
  const raw = decodeStrict(root, CONFIG_SHAPE, 'config') as {
    apiVersion?: string;
    kind?: string;
    providers?: Record<string, unknown>[];
  };
  if (raw.kind !== 'CredentialProviderConfig') throw new Error('wrong kind');
  if (!CONFIG_API_VERSIONS.includes(raw.apiVersion ?? '')) {
    throw new Error(
      `no kind "CredentialProviderConfig" is registered for version "${raw.apiVersion}"`,
    );
  }
  const providers = raw.providers ?? [];
  const errors: string[] = [];
  if (providers.length === 0) errors.push('providers: at least 1 item in plugins is required');
  const names = new Set<string>();
  for (const provider of providers) {
    const name = (provider['name'] as string | undefined) ?? '';
    if (name.includes('/')) errors.push(`name ${name}: cannot contain '/'`);
    if (name.includes(' ')) errors.push(`name ${name}: cannot contain spaces`);
    if (name === '.' || name === '..') errors.push(`name ${name}: cannot be . or ..`);
    if (names.has(name)) errors.push(`name ${name}: duplicate`);
    names.add(name);
    const apiVersion = (provider['apiVersion'] as string | undefined) ?? '';
    if (apiVersion === '') errors.push('apiVersion: required');
    else if (!PROVIDER_API_VERSIONS.some((v) => v === apiVersion)) {
      errors.push(`apiVersion ${apiVersion}: not supported`);
    }
    const images = (provider['matchImages'] as string[] | undefined) ?? [];
    if (images.length === 0) errors.push('matchImages: at least 1 item is required');
    for (const image of images) {
      try {
        parseSchemelessUrl(image);
      } catch (error) {
        errors.push(`matchImages ${image}: invalid: ${String(error)}`);
      }
    }
    const duration = provider['defaultCacheDuration'] as number | undefined;
    if (duration === undefined) errors.push('defaultCacheDuration: required');
    else if (duration < 0) errors.push('defaultCacheDuration: must be >= 0');
    const token = provider['tokenAttributes'] as Record<string, unknown> | undefined;
    if (token !== undefined) {
      if (!tokenGate) errors.push('tokenAttributes: feature gate disabled');
      if (!token['serviceAccountTokenAudience']) errors.push('tokenAttributes.audience: required');
      if (token['requireServiceAccount'] === undefined) {
        errors.push('tokenAttributes.requireServiceAccount: required');
      }
      if (apiVersion !== PROVIDER_API_VERSIONS[0]) errors.push('tokenAttributes: v1 only');
      if (!['ServiceAccount', 'Token'].includes(String(token['cacheType']))) {
        errors.push('tokenAttributes.cacheType: ServiceAccount or Token');
      }
    }
  }
  if (errors.length > 0)
    throw new Error(`failed to validate credential provider config: ${errors.join('; ')}`);
  return providers.map((provider) => ({
    name: provider['name'] as string,
    matchImages: provider['matchImages'] as string[],
    defaultCacheDurationMs: provider['defaultCacheDuration'] as number,
    apiVersion: provider['apiVersion'] as string,
    args: (provider['args'] as string[] | undefined) ?? [],
    env: (provider['env'] as { name: string; value: string }[] | undefined) ?? [],
    ...(provider['tokenAttributes']
      ? { tokenAttributes: provider['tokenAttributes'] as Record<string, unknown> }
      : {}),
  }));
}

/**
 * Decodes a provider's stdout as the kubelet does; throws with the kubelet's reason when it would
 * drop the answer. `tokenField`: the kubelet's types have serviceAccountTokenCacheType (1.34+).
 */
export function decodeProviderResponse(
  stdout: string,
  options: { apiVersion: string; serviceAccountToken?: string; tokenField?: boolean },
): ProviderResponse {
  const root = tree(stdout, 'response');
  // json.DefaultMetaFactory.Interpret, then the apiVersion check.
  const meta = JSON.parse(stdout) as { apiVersion?: unknown; kind?: unknown };
  if (meta.apiVersion !== options.apiVersion) {
    throw new Error(
      `apiVersion from credential plugin response did not match expected apiVersion:${options.apiVersion}, actual apiVersion:${String(meta.apiVersion)}`,
    );
  }
  if (meta.kind !== 'CredentialProviderResponse') throw new Error('unexpected Kind');
  const raw = decodeStrict(
    root,
    responseShape(options.apiVersion, options.tokenField ?? true),
    'response',
  ) as {
    cacheKeyType?: string;
    cacheDuration?: number;
    serviceAccountTokenCacheType?: string;
    auth?: Record<string, { username?: string; password?: string }>;
  };
  if (!['Image', 'Registry', 'Global'].includes(raw.cacheKeyType ?? '')) {
    throw new Error(
      `credential provider plugin did not return a valid cacheKeyType: "${raw.cacheKeyType ?? ''}"`,
    );
  }
  const token = options.serviceAccountToken;
  if (token) {
    if (
      options.tokenField !== false &&
      !['ServiceAccount', 'Pod'].includes(raw.serviceAccountTokenCacheType ?? '')
    ) {
      throw new Error(
        'serviceAccountTokenCacheType is required when a serviceAccountToken is sent',
      );
    }
    for (const entry of Object.values(raw.auth ?? {})) {
      if (entry.password === token && raw.serviceAccountTokenCacheType !== 'Pod') {
        throw new Error('the plugin returned the service account token as the password');
      }
    }
  }
  const auth: Record<string, { username: string; password: string }> = {};
  for (const [key, entry] of Object.entries(raw.auth ?? {})) {
    auth[key] = { username: entry.username ?? '', password: entry.password ?? '' };
  }
  return {
    cacheKeyType: raw.cacheKeyType ?? '',
    cacheDurationMs: raw.cacheDuration,
    ...(raw.serviceAccountTokenCacheType !== undefined
      ? { serviceAccountTokenCacheType: raw.serviceAccountTokenCacheType }
      : {}),
    auth,
  };
}

/** One emulated kubelet: a provider config file, the provider folder and the kubelet's env. */
export class Kubelet {
  readonly providers: readonly ProviderConfig[];

  constructor(
    readonly options: {
      readonly configFile: string;
      readonly binDir: string;
      /** The kubelet's own environment (root under systemd: often no HOME). */
      readonly env: Record<string, string>;
      readonly tokenGate?: boolean;
    },
  ) {
    this.providers = decodeProviderConfig(
      readFileSync(options.configFile, 'utf8'),
      options.tokenGate,
    );
  }

  /** The first provider that would run for `image`, if any. */
  providerFor(image: string): ProviderConfig | undefined {
    return this.providers.find((provider) =>
      provider.matchImages.some((pattern) => urlsMatchStr(pattern, image)),
    );
  }

  /** Pulls `image`: runs its provider (if one matches) and decodes the answer. */
  async pull(
    image: string,
    pod: { serviceAccountToken?: string; annotations?: Record<string, string> } = {},
  ): Promise<PullResult> {
    const provider = this.providerFor(image);
    if (!provider) return { ran: false, exitCode: null, stdout: '', stderr: '', credentials: [] };
    const request = {
      apiVersion: provider.apiVersion,
      kind: 'CredentialProviderRequest',
      image,
      ...(pod.serviceAccountToken ? { serviceAccountToken: pod.serviceAccountToken } : {}),
      ...(pod.annotations && Object.keys(pod.annotations).length > 0
        ? { serviceAccountAnnotations: pod.annotations }
        : {}),
    };
    const env = { ...this.options.env };
    for (const entry of provider.env) env[entry.name] = entry.value;
    const run = await exec(
      join(this.options.binDir, provider.name),
      provider.args,
      env,
      JSON.stringify(request),
    );
    if (run.exitCode !== 0) {
      return {
        ran: true,
        ...run,
        error: `error execing credential provider plugin ${provider.name} for image ${image}: exit status ${run.exitCode}: ${run.stderr}`,
        credentials: [],
      };
    }
    let response: ProviderResponse;
    try {
      response = decodeProviderResponse(run.stdout, {
        apiVersion: provider.apiVersion,
        ...(pod.serviceAccountToken ? { serviceAccountToken: pod.serviceAccountToken } : {}),
      });
    } catch (error) {
      return { ran: true, ...run, error: String(error), credentials: [] };
    }
    return { ran: true, ...run, response, credentials: keyringLookup(response.auth, image) };
  }
}

function exec(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  input: string,
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The kubelet's catch-all: one minute per call.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
