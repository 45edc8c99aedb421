/**
 * Follows the SDK's default credential chain through its own debug lines, so a failure or timeout
 * can say which source it was waiting on and why a configured source failed. The chain reports
 * "Could not load credentials from any providers" and nothing else; the reasons only reach the
 * logger. Pure: fed one log line at a time.
 */
import type { Env } from '../env';
import { nonEmpty } from '../env';
import { credentialSources, type CredentialSource } from './credential-sources';

type SourceName = CredentialSource['name'];

/** What the chain did so far. */
interface ChainDiagnostics {
  /** Feeds one line the SDK logged (any level). */
  observe(line: string): void;
  /** The source the chain is consulting now, if known. */
  current(): SourceName | undefined;
  /** A printable name of that source (or of the whole chain when unknown). */
  currentLabel(): string;
  /** One clause naming why each source the environment configures failed, or '' if none did. */
  describeConfiguredFailures(): string;
}

// The stage markers the SDK's default chain logs before it consults each source.
const STAGES: readonly [RegExp, SourceName][] = [
  [/defaultProvider::fromEnv\b/, 'environment'],
  [/defaultProvider::fromSSO\b/, 'sso'],
  [/defaultProvider::(fromIni|fromProcess)\b/, 'shared-config'],
  [/defaultProvider::fromTokenFile\b/, 'web-identity'],
  [/remoteProvider::fromHttp|remoteProvider::fromContainerMetadata/, 'container'],
  [/remoteProvider::fromInstanceMetadata/, 'imds'],
];
// A link giving up: `@smithy/property-provider -> <reason>` (or `(!)` for the last link).
const FAILURE = /@smithy\/property-provider (?:->|\(!\)) ([\s\S]*)$/;
const FINAL = /^Could not load credentials from any providers/;

/** Creates diagnostics for one chain run; `onStage` hears each source as the chain reaches it. */
export function createChainDiagnostics(
  env: Env,
  onStage: (source: CredentialSource) => void = () => undefined,
): ChainDiagnostics {
  const sources = credentialSources(env);
  const failures: Partial<Record<SourceName, string>> = {};
  let current: SourceName | undefined;
  // The relative URI is a capability (anyone who knows it gets the task's keys): never echo it.
  const capability = nonEmpty(env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']);
  const clean = (text: string): string => {
    const flat = text
      .replace(/\s+/g, ' ')
      .replace(/^(?:(?:Credentials)?ProviderError: )?(?:Error: )?/, '')
      .trim();
    return capability ? flat.split(capability).join('/***') : flat;
  };
  return {
    observe(line) {
      for (const [pattern, name] of STAGES) {
        if (pattern.test(line)) {
          current = name;
          const source = sources.find((candidate) => candidate.name === name);
          if (source) onStage(source);
          return;
        }
      }
      const failure = FAILURE.exec(line)?.[1];
      if (failure === undefined || current === undefined || FINAL.test(failure)) return;
      failures[current] ??= clean(failure);
    },
    current: () => current,
    currentLabel: () =>
      sources.find((source) => source.name === current)?.label ?? 'the AWS credential chain',
    describeConfiguredFailures() {
      // IMDS is "configured" unless disabled, and fails on every non-EC2 host: only worth naming
      // when nothing else was configured.
      const explicit = sources.filter((source) => source.configured && source.name !== 'imds');
      const named = explicit.length > 0 ? explicit : sources.filter((s) => s.name === 'imds');
      return named
        .filter((source) => source.configured && failures[source.name])
        .map((source) => `${source.label} failed: ${failures[source.name] ?? ''}`)
        .join('; ');
    },
  };
}
