/**
 * Pure classification of a server URL, in any form a Docker client sends it, as a private ECR
 * registry, ECR Public, or some other registry. Only the host decides, matched whole against
 * anchored patterns; never a substring or an unbounded suffix test.
 */

/** An AWS partition that hosts ECR. */
type Partition =
  | 'aws'
  | 'aws-cn'
  | 'aws-us-gov'
  | 'aws-iso'
  | 'aws-iso-b'
  | 'aws-iso-e'
  | 'aws-iso-f'
  | 'aws-eusc';

/** A private ECR registry host, decoded. */
interface PrivateRegistry {
  readonly kind: 'private';
  readonly host: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: Partition;
  readonly fips: boolean;
  readonly dualStack: boolean;
}

/** ECR Public (`public.ecr.aws` or its dual-stack name). */
interface PublicRegistry {
  readonly kind: 'public';
  readonly host: string;
  readonly dualStack: boolean;
}

/** Anything that is not ECR; `host` is the normalised host ('' when none could be read). */
interface OtherRegistry {
  readonly kind: 'other';
  readonly host: string;
}

/** A registry ECR tokens are minted for: private ECR or ECR Public. */
export type EcrRegistry = PrivateRegistry | PublicRegistry;

/** What a server URL names. */
export type Registry = EcrRegistry | OtherRegistry;

/**
 * The API that mints a registry's tokens: its partition, region and service. ECR Public has one,
 * in us-east-1 of the aws partition, whatever the host.
 */
export function tokenService(registry: EcrRegistry): {
  readonly partition: string;
  readonly region: string;
  readonly service: 'ecr' | 'ecr-public';
} {
  return registry.kind === 'private'
    ? { partition: registry.partition, region: registry.region, service: 'ecr' }
    : { partition: 'aws', region: 'us-east-1', service: 'ecr-public' };
}

interface SuffixRule {
  readonly partition: Partition;
  readonly dualStack: boolean;
  /** Region names this suffix may carry; guards against e.g. `cn-north-1` under `amazonaws.com`. */
  readonly region: RegExp;
}

const COMMERCIAL_REGION = /^(?!cn-|us-iso|eu-isoe-|eusc-)[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const CHINA_REGION = /^cn-[a-z]+-\d{1,2}$/;

const SUFFIXES: ReadonlyMap<string, SuffixRule> = new Map([
  ['amazonaws.com', { partition: 'aws', dualStack: false, region: COMMERCIAL_REGION }],
  ['on.aws', { partition: 'aws', dualStack: true, region: COMMERCIAL_REGION }],
  ['amazonaws.com.cn', { partition: 'aws-cn', dualStack: false, region: CHINA_REGION }],
  ['on.amazonwebservices.com.cn', { partition: 'aws-cn', dualStack: true, region: CHINA_REGION }],
  ['c2s.ic.gov', { partition: 'aws-iso', dualStack: false, region: /^us-iso-[a-z]+-\d{1,2}$/ }],
  [
    'sc2s.sgov.gov',
    { partition: 'aws-iso-b', dualStack: false, region: /^us-isob-[a-z]+-\d{1,2}$/ },
  ],
  [
    'cloud.adc-e.uk',
    { partition: 'aws-iso-e', dualStack: false, region: /^eu-isoe-[a-z]+-\d{1,2}$/ },
  ],
  [
    'csp.hci.ic.gov',
    { partition: 'aws-iso-f', dualStack: false, region: /^us-isof-[a-z]+-\d{1,2}$/ },
  ],
  [
    'amazonaws.eu',
    { partition: 'aws-eusc', dualStack: false, region: /^eusc-[a-z]+-[a-z]+-\d{1,2}$/ },
  ],
]);

// <12 digits>.dkr.ecr[-fips].<region>.<suffix>, or dkr-ecr[-fips] under a dual-stack suffix.
const PRIVATE_HOST = /^(\d{12})\.dkr([.-])ecr(-fips)?\.([a-z0-9-]{1,40})\.([a-z0-9.-]+)$/;
const PUBLIC_HOSTS: ReadonlyMap<string, boolean> = new Map([
  ['public.ecr.aws', false],
  ['ecr-public.aws.com', true],
]);

/**
 * Extracts the host from a server URL: scheme, user info, path, query, port, a trailing dot and
 * case are dropped. Returns '' for anything that is not a plain ASCII DNS name; a non-ASCII name
 * must never be lower-cased into an ASCII look-alike (the Kelvin sign lower-cases to `k`).
 */
export function extractHost(serverUrl: string): string {
  return extractHostPort(serverUrl).host;
}

/** A server URL's host (as extractHost() reads it) and its port, when one was given. */
export interface HostPort {
  readonly host: string;
  readonly port?: string;
}

/** extractHost(), keeping the port apart (universal-mode routes may name one). */
export function extractHostPort(serverUrl: string): HostPort {
  let rest = serverUrl.trim();
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  // A backslash ends the authority as WHATWG URL parsers (Node's URL, browsers) read it: for
  // `https://evil.example\@<ecr host>` they connect to evil.example, so it must not match ECR.
  const end = rest.search(/[/?#\\]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  const port = /:(\d{1,5})$/.exec(authority)?.[1];
  if (port !== undefined) authority = authority.slice(0, -port.length - 1);
  if (authority.endsWith('.')) authority = authority.slice(0, -1);
  if (!/^[A-Za-z0-9.-]+$/.test(authority)) return { host: '' };
  const host = authority.toLowerCase();
  return port === undefined ? { host } : { host, port };
}

/** Classifies a server URL as private ECR, ECR Public or another registry. */
export function parseRegistry(serverUrl: string): Registry {
  const host = extractHost(serverUrl);
  const publicDualStack = PUBLIC_HOSTS.get(host);
  if (publicDualStack !== undefined) return { kind: 'public', host, dualStack: publicDualStack };

  const match = PRIVATE_HOST.exec(host);
  if (match) {
    const [, accountId, separator, fips, region, suffix] = match;
    const rule = SUFFIXES.get(suffix ?? '');
    if (rule && accountId && region && rule.region.test(region)) {
      // dkr-ecr only exists under dual-stack suffixes; dkr.ecr is accepted under both.
      if (separator === '.' || rule.dualStack) {
        const partition: Partition =
          rule.partition === 'aws' && region.startsWith('us-gov-') ? 'aws-us-gov' : rule.partition;
        return {
          kind: 'private',
          host,
          accountId,
          region,
          partition,
          fips: fips !== undefined,
          dualStack: rule.dualStack,
        };
      }
    }
  }
  return { kind: 'other', host };
}

/** True when the server URL names private ECR or ECR Public. */
export function isEcrHost(serverUrl: string): boolean {
  return parseRegistry(serverUrl).kind !== 'other';
}
