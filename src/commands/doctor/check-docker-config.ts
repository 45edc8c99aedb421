/**
 * `docker-config`: which docker config file is read, whether it parses, and which credential
 * helper docker runs for the host: `credHelpers[host]` first, then `credsStore`, else a login
 * saved inline under `auths`. A name that is not a helper name by the rule routes follow
 * (text-checks.ts: `../x` would leave PATH) fails here, and no helper is handed on to be run.
 * Pure: the caller reads the file.
 */
import { isJsonObject, jsonErrorOffset, lineAndColumn } from '../../json';
import { extractHost } from '../../registry/parse-registry';
import { isHelperName } from '../../text-checks';
import { HELPER_SUFFIX } from '../plan-configure';
import { failed, passed, type CheckResult, type Finding } from './check';

/** The config file as read: its text, null when missing, or why it could not be read. */
interface DockerConfigInput {
  readonly file: string;
  /** Whether DOCKER_CONFIG chose the folder. */
  readonly fromEnv: boolean;
  readonly text: string | null;
  readonly readError?: string;
  /** The registry host asked about (docker's key for it), if any. */
  readonly host?: string;
}

/**
 * The helper docker would run, by its suffix (`ecr-ts` for `docker-credential-ecr-ts`): a valid
 * name only, as doctor runs `docker-credential-<helper> version`; or that the file names a helper
 * by an invalid name (nothing may be run for it).
 */
type DockerHelper = { readonly helper: string } | { readonly invalidHelper: true };

const INVALID = { invalidHelper: true } as const;

interface DockerConfig {
  readonly credHelpers: Readonly<Record<string, unknown>>;
  readonly credsStore?: string;
  readonly auths: Readonly<Record<string, unknown>>;
}

/** Decides what docker does for the host with this config file. */
export function checkDockerConfig(input: DockerConfigInput): CheckResult<DockerHelper> {
  const where = `${input.file}${input.fromEnv ? ' (from DOCKER_CONFIG)' : ''}`;
  const fix = input.host
    ? `Run: docker-credential-ecr-ts configure ${input.host}`
    : 'Run: docker-credential-ecr-ts configure <registry>';
  if (input.readError !== undefined) {
    return {
      finding: failed(
        `cannot read ${where} (${input.readError})`,
        input.readError === 'EACCES' || input.readError === 'EPERM'
          ? 'Check its permissions.'
          : 'docker reads its logins and helpers from this file: make it a readable JSON file.',
      ),
    };
  }
  if (input.text === null) {
    return { finding: failed(`${where} does not exist: docker runs no credential helper`, fix) };
  }
  const config = parse(input.text);
  if (typeof config === 'string') {
    return {
      finding: failed(`${where} is not a valid docker config (${config})`, 'Fix the file.'),
    };
  }
  const { host } = input;
  if (host === undefined) return overview(config, where, fix);
  const named = Object.entries(config.credHelpers).find(([key]) => key === host)?.[1];
  const helper = typeof named === 'string' && named ? named : undefined;
  const via = helper ? `credHelpers["${host}"]` : config.credsStore ? 'credsStore' : undefined;
  const chosen = helper ?? config.credsStore;
  if (chosen !== undefined && !isHelperName(chosen)) {
    return { finding: invalidName(where, via ?? 'credsStore', chosen), value: INVALID };
  }
  if (chosen === HELPER_SUFFIX) {
    return {
      finding: passed(`${where}: ${via} runs docker-credential-${chosen}`),
      value: { helper: chosen },
    };
  }
  if (chosen) {
    return {
      finding: failed(
        `${where}: ${via} runs docker-credential-${chosen} for ${host}, not docker-credential-${HELPER_SUFFIX}`,
        fix,
      ),
      value: { helper: chosen },
    };
  }
  const inline = Object.keys(config.auths).some((key) => extractHost(key) === host);
  if (inline) {
    return {
      finding: failed(
        `${where}: no credential helper for ${host}; docker uses the login saved under auths (an ECR login expires after 12 hours)`,
        `${fix} (and docker logout ${host} to drop the saved login)`,
      ),
    };
  }
  const nearMiss = Object.keys(config.credHelpers).find(
    (key) => key !== host && extractHost(key) === host,
  );
  const near = nearMiss
    ? ` (credHelpers has "${nearMiss}": docker matches the bare host only)`
    : '';
  return {
    finding: failed(
      `${where}: no credHelpers entry for ${host} and no credsStore: docker runs no credential helper for it and pulls anonymously${near}`,
      fix,
    ),
  };
}

/** Without a host: which registries the file sends to this helper. */
function overview(config: DockerConfig, where: string, fix: string): CheckResult<DockerHelper> {
  const invalid = [
    ...(config.credsStore !== undefined ? [['credsStore', config.credsStore] as const] : []),
    ...Object.entries(config.credHelpers).map(
      ([key, name]) => [`credHelpers[${JSON.stringify(key)}]`, name] as const,
    ),
  ].find(([, name]) => typeof name === 'string' && name !== '' && !isHelperName(name));
  if (invalid) {
    return { finding: invalidName(where, invalid[0], String(invalid[1])), value: INVALID };
  }
  if (config.credsStore === HELPER_SUFFIX) {
    return { finding: passed(`${where}: credsStore runs docker-credential-${HELPER_SUFFIX}`) };
  }
  const hosts = Object.entries(config.credHelpers)
    .filter(([, name]) => name === HELPER_SUFFIX)
    .map(([key]) => key);
  if (hosts.length > 0) {
    return {
      finding: passed(
        `${where}: credHelpers runs docker-credential-ecr-ts for ${hosts.join(', ')}`,
      ),
    };
  }
  return { finding: failed(`${where} names docker-credential-${HELPER_SUFFIX} nowhere`, fix) };
}

/** A helper name that routes would refuse: quoted as JSON (it may hold control characters). */
function invalidName(where: string, via: string, name: string): Finding {
  return failed(
    `${where}: ${via} names ${JSON.stringify(name)}, which is not a credential helper name (a letter or digit, then letters, digits, ".", "_" or "-"); doctor runs nothing for it`,
    `Set the part after docker-credential- of a helper on PATH, like "${HELPER_SUFFIX}": a name with a path in it makes docker run a file outside PATH, or nothing.`,
  );
}

function parse(text: string): DockerConfig | string {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    // Only where: V8's message quotes the text around the error, which may be a saved login.
    const offset = jsonErrorOffset(error);
    return offset === undefined
      ? 'not valid JSON'
      : `not valid JSON at ${lineAndColumn(text, offset)}`;
  }
  if (!isJsonObject(value)) return 'not a JSON object';
  const { credHelpers = {}, credsStore, auths = {} } = value;
  if (!isJsonObject(credHelpers)) return 'credHelpers is not an object';
  if (!isJsonObject(auths)) return 'auths is not an object';
  if (credsStore !== undefined && typeof credsStore !== 'string')
    return 'credsStore is not a string';
  return { credHelpers, auths, ...(credsStore ? { credsStore } : {}) };
}
