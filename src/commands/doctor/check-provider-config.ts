/**
 * `provider-config` (doctor --kubelet): whether the kubelet's CredentialProviderConfig runs this
 * provider for the image at all: an entry of that name, run with `get-credentials`, whose
 * matchImages cover the image (docs/kubelet.md). Pure: the file's text comes in.
 */
import { PRODUCT } from '../../product';
import { matchImageCovers } from '../../protocol/kubelet-match-image';
import { KUBELET_API_VERSIONS, type KubeletApiVersion } from '../../protocol/kubelet-request';
import { quote } from '../../quote';
import { failed, passed, skipped, type CheckResult } from './check';

/** What the check reads: the file and its text (null: it does not exist), the provider's name. */
export interface ProviderConfigInput {
  readonly file: string;
  readonly name: string;
  readonly image: string;
  readonly text: string | null;
  /** Why the file could not be read (an errno code), when it could not. */
  readonly readError?: string;
}

/** A provider entry as far as doctor reads it. */
interface ProviderEntry {
  readonly name?: unknown;
  readonly matchImages?: unknown;
  readonly apiVersion?: unknown;
  readonly args?: unknown;
}

/** Judges the provider config for the image: the finding, and the apiVersion the kubelet would send. */
export function checkProviderConfig(input: ProviderConfigInput): CheckResult<KubeletApiVersion> {
  const { file, name, image } = input;
  if (input.readError !== undefined) {
    return { finding: failed(`cannot read ${file} (${input.readError})`) };
  }
  if (input.text === null) {
    return {
      finding: skipped(
        `${file} does not exist`,
        `Run ${PRODUCT} configure --kubelet, or name the kubelet's file with --config`,
      ),
    };
  }
  let config: unknown;
  try {
    config = JSON.parse(input.text);
  } catch {
    return { finding: failed(`cannot read ${file} (not JSON)`) };
  }
  const providers = (config as { providers?: unknown } | null)?.providers;
  const entry = Array.isArray(providers)
    ? (providers as (ProviderEntry | null)[]).find((candidate) => candidate?.name === name)
    : undefined;
  if (!entry) {
    return {
      finding: failed(
        `${file} has no provider named ${quote(name)}`,
        `Run ${PRODUCT} configure --kubelet --config ${file}, or give the provider's name with --name`,
      ),
    };
  }
  const apiVersion =
    KUBELET_API_VERSIONS.find((version) => version === entry.apiVersion) ?? KUBELET_API_VERSIONS[0];
  const args = Array.isArray(entry.args) ? entry.args : [];
  if (!args.includes('get-credentials')) {
    return {
      finding: failed(
        `provider ${quote(name)} in ${file} is run without the argument get-credentials`,
        'Set its args to ["get-credentials"] (configure --kubelet does)',
      ),
      value: apiVersion,
    };
  }
  const patterns = Array.isArray(entry.matchImages) ? entry.matchImages : [];
  const match = patterns.find(
    (pattern): pattern is string => typeof pattern === 'string' && matchImageCovers(pattern, image),
  );
  if (!match) {
    return {
      finding: failed(
        `provider ${quote(name)} in ${file}: no matchImages entry covers ${quote(image)}, so the kubelet never asks it (and pulls anonymously)`,
        'Add a route for the host to the config file and run configure --kubelet again, or add the host to matchImages',
      ),
      value: apiVersion,
    };
  }
  return {
    finding: passed(
      `${file}: provider ${quote(name)} covers the image (matchImages ${quote(match)}), ${apiVersion}`,
    ),
    value: apiVersion,
  };
}
