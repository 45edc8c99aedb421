/**
 * The `CredentialProviderResponse` the kubelet reads from stdout (docs/kubelet.md). Pure. The
 * kubelet decodes it strictly (an unknown field drops the answer), so only the fields of the
 * requested apiVersion are written; `cacheDuration` is a Go duration.
 */
import type { KubeletApiVersion } from './kubelet-request';

/** The one credential an answer carries, under the key the kubelet's lookup matches the image by. */
export interface KubeletAuth {
  /** A match-image key: the image's registry (`host[:port]`). */
  readonly key: string;
  readonly username: string;
  readonly password: string;
}

/** What to answer. */
export interface KubeletResponse {
  readonly apiVersion: KubeletApiVersion;
  /** How long the kubelet may keep it in memory; 0: not at all. */
  readonly cacheDurationMs: number;
  /** null: no credentials (the kubelet then pulls anonymously). */
  readonly auth: KubeletAuth | null;
  /** Set when the request carried a service-account token (v1 only; required there then). */
  readonly serviceAccountTokenCacheType?: 'ServiceAccount';
}

/** The response as one line of JSON and a newline. */
export function encodeKubeletResponse(response: KubeletResponse): string {
  const { auth } = response;
  const body = {
    apiVersion: response.apiVersion,
    kind: 'CredentialProviderResponse',
    // Registry, not Image: one token serves every repository of the registry.
    cacheKeyType: 'Registry',
    cacheDuration: goDuration(response.cacheDurationMs),
    // Only v1 has the field; older kubelets would refuse the answer for it.
    ...(response.serviceAccountTokenCacheType &&
    response.apiVersion === 'credentialprovider.kubelet.k8s.io/v1'
      ? { serviceAccountTokenCacheType: response.serviceAccountTokenCacheType }
      : {}),
    auth: auth ? { [auth.key]: { username: auth.username, password: auth.password } } : {},
  };
  return `${JSON.stringify(body)}\n`;
}

/**
 * A duration as Go's time.Duration prints it (`6h0m0s`, `4m5s`, `45s`, `0s`), rounded DOWN to
 * whole seconds: a cache time must never come out longer than it was computed.
 */
export function goDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
