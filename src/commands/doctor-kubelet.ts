/**
 * `doctor --kubelet IMAGE [--config PATH] [--bin-dir DIR] [--name NAME] [--json]` (docs/kubelet.md):
 * what the kubelet would get for an image. Checks, in the kubelet's order: whether its provider
 * config runs us for the image at all, whether the provider file is this program, which route
 * answers, and then the request path itself (`get-credentials`, through the token cache like the
 * kubelet's own call): the response it would decode, with the password hidden, or the one line it
 * would log. Exit 0 when nothing failed.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext } from '../actions/action-context';
import { describeRoute } from '../actions/answer-route';
import { getCredentialsAction } from '../actions/get-credentials';
import { toHelperError } from '../errors';
import type { Outcome } from '../failure-output';
import { PRODUCT } from '../product';
import { matchImageCovers } from '../protocol/kubelet-match-image';
import { KUBELET_API_VERSIONS, registryOfKubeletImage } from '../protocol/kubelet-request';
import { quote } from '../quote';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../read-regular-file';
import { createRoutes } from '../routing/routes';
import { DEFAULT_KUBELET_BIN_DIR, DEFAULT_KUBELET_PROVIDER_CONFIG } from './configure-kubelet';

/** What doctor --kubelet was asked. */
export interface DoctorKubeletOptions {
  readonly target: string | undefined;
  readonly json: boolean;
  readonly configFile?: string;
  readonly binDir?: string;
  readonly name?: string;
}

/** One finding, named as in `--json`. */
interface Finding {
  readonly name: 'provider-config' | 'provider-file' | 'route' | 'response';
  /** true: passed, false: failed, null: skipped. */
  readonly ok: boolean | null;
  readonly detail: string;
  readonly hint?: string;
}

/** A provider entry as far as doctor reads it. */
interface ProviderEntry {
  readonly name?: unknown;
  readonly matchImages?: unknown;
  readonly apiVersion?: unknown;
  readonly args?: unknown;
}

/** Runs the checks for the image and renders them. */
export async function doctorKubeletCommand(
  context: ActionContext,
  options: DoctorKubeletOptions,
): Promise<Outcome> {
  const image = options.target?.trim() ?? '';
  if (image === '') {
    return {
      exitCode: 1,
      stdout: '',
      stderr: `${PRODUCT}: error: doctor --kubelet needs an image, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app\n`,
    };
  }
  const configFile = options.configFile ?? DEFAULT_KUBELET_PROVIDER_CONFIG;
  const name = options.name ?? PRODUCT;
  const findings: Finding[] = [];
  const provider = checkProviderConfig(configFile, name, image);
  findings.push(provider.finding);
  findings.push(checkProviderFile(join(options.binDir ?? DEFAULT_KUBELET_BIN_DIR, name), context));
  findings.push(checkRoute(context, image));
  findings.push(await checkResponse(context, image, provider.apiVersion));
  const ok = findings.every((finding) => finding.ok !== false);
  return {
    exitCode: ok ? 0 : 1,
    stdout: options.json ? renderJson(ok, findings) : renderText(image, findings),
    stderr: '',
  };
}

function checkProviderConfig(
  file: string,
  name: string,
  image: string,
): { finding: Finding; apiVersion: string } {
  const fallback = KUBELET_API_VERSIONS[0];
  const named = (ok: boolean | null, detail: string, hint?: string): Finding => ({
    name: 'provider-config',
    ok,
    detail,
    ...(hint ? { hint } : {}),
  });
  let config: unknown;
  try {
    config = JSON.parse(readRegularFile(file, MAX_SETTINGS_BYTES).bytes.toString('utf8'));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') {
      return {
        finding: named(
          null,
          `${file} does not exist`,
          `Run ${PRODUCT} configure --kubelet, or name the kubelet's file with --config`,
        ),
        apiVersion: fallback,
      };
    }
    const why = typeof code === 'string' ? code : 'not JSON';
    return { finding: named(false, `cannot read ${file} (${why})`), apiVersion: fallback };
  }
  const providers = (config as { providers?: unknown } | null)?.providers;
  const entry = Array.isArray(providers)
    ? (providers as ProviderEntry[]).find((candidate) => candidate?.name === name)
    : undefined;
  if (!entry) {
    return {
      finding: named(
        false,
        `${file} has no provider named ${quote(name)}`,
        `Run ${PRODUCT} configure --kubelet --config ${file}, or give the provider's name with --name`,
      ),
      apiVersion: fallback,
    };
  }
  const apiVersion =
    KUBELET_API_VERSIONS.find((version) => version === entry.apiVersion) ?? fallback;
  const patterns = Array.isArray(entry.matchImages) ? entry.matchImages : [];
  const match = patterns.find(
    (pattern): pattern is string => typeof pattern === 'string' && matchImageCovers(pattern, image),
  );
  const args = Array.isArray(entry.args) ? entry.args : [];
  if (!args.includes('get-credentials')) {
    return {
      finding: named(
        false,
        `provider ${quote(name)} in ${file} is run without the argument get-credentials`,
        'Set its args to ["get-credentials"] (configure --kubelet does)',
      ),
      apiVersion,
    };
  }
  if (!match) {
    return {
      finding: named(
        false,
        `provider ${quote(name)} in ${file}: no matchImages entry covers ${quote(image)}, so the kubelet never asks it (and pulls anonymously)`,
        'Add a route for the host to the config file and run configure --kubelet again, or add the host to matchImages',
      ),
      apiVersion,
    };
  }
  return {
    finding: named(
      true,
      `${file}: provider ${quote(name)} covers the image (matchImages ${quote(match)}), ${apiVersion}`,
    ),
    apiVersion,
  };
}

function checkProviderFile(path: string, context: ActionContext): Finding {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return {
      name: 'provider-file',
      ok: false,
      detail: `${path} does not exist: the kubelet refuses to start with a provider it cannot find`,
      hint: `Run ${PRODUCT} configure --kubelet (it links the provider there), or name the kubelet's folder with --bin-dir`,
    };
  }
  let self: string | undefined;
  try {
    self = context.program ? realpathSync(context.program) : undefined;
  } catch {
    self = undefined;
  }
  if (self !== undefined && real !== self) {
    return {
      name: 'provider-file',
      ok: false,
      detail: `${path} -> ${real}, which is not this program (${self})`,
      hint: 'Another program has the name: link it to this one again (configure --kubelet), or check which version the kubelet runs',
    };
  }
  return { name: 'provider-file', ok: true, detail: real === path ? path : `${path} -> ${real}` };
}

function checkRoute(context: ActionContext, image: string): Finding {
  const registry = registryOfKubeletImage(image);
  const source = context.config.routes.file
    ? `the config file ${context.config.routes.file}`
    : 'the built-in defaults (no config file)';
  try {
    const routes = createRoutes({ ...context.config.routes, fallback: { kind: 'none' } });
    const route = routes.routeFor(registry);
    const none = route.kind === 'store' && route.store.kind === 'none';
    return {
      name: 'route',
      ok: true,
      detail: none
        ? `${quote(registry)} has no route in ${source}: the answer is empty (anonymous pull)`
        : `${quote(registry)}: ${describeRoute(route)}, from ${source}`,
    };
  } catch (error) {
    return { name: 'route', ok: false, detail: toHelperError(error).message };
  }
}

async function checkResponse(
  context: ActionContext,
  image: string,
  apiVersion: string,
): Promise<Finding> {
  const request = JSON.stringify({ apiVersion, kind: 'CredentialProviderRequest', image });
  try {
    const text = await getCredentialsAction({ ...context, readInput: async () => request });
    const response = JSON.parse(text) as {
      cacheKeyType: string;
      cacheDuration: string;
      auth: Record<string, { username: string; password: string }>;
    };
    const [key, auth] = Object.entries(response.auth)[0] ?? [];
    const what = auth
      ? `auth ${quote(key ?? '')}: user ${quote(auth.username)}, password of ${auth.password.length} characters (hidden)`
      : 'no credentials (empty auth): the kubelet pulls anonymously';
    return {
      name: 'response',
      ok: true,
      detail: `${what}; cacheKeyType ${response.cacheKeyType}, cacheDuration ${response.cacheDuration}`,
    };
  } catch (error) {
    return {
      name: 'response',
      ok: false,
      detail: `the provider would exit 1 and the kubelet log: ${toHelperError(error).message}`,
    };
  }
}

const MARK = { true: 'ok', false: 'FAILED', null: 'skipped' } as const;

function renderText(image: string, findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((finding) => finding.name.length));
  const lines = [`${PRODUCT} doctor --kubelet: ${image}`];
  for (const finding of findings) {
    const mark = MARK[String(finding.ok) as keyof typeof MARK].padEnd(7);
    lines.push(`${mark} ${finding.name.padEnd(width)}  ${finding.detail}`);
    if (finding.hint && finding.ok !== true)
      lines.push(`${' '.repeat(width + 10)}hint: ${finding.hint}`);
  }
  const broken = findings.filter((finding) => finding.ok === false).map((finding) => finding.name);
  lines.push(broken.length === 0 ? 'nothing failed' : `failed: ${broken.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function renderJson(ok: boolean, findings: readonly Finding[]): string {
  return `${JSON.stringify({ ok, checks: findings }, null, 2)}\n`;
}
