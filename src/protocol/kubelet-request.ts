/**
 * The kubelet's `CredentialProviderRequest` on stdin (docs/kubelet.md), decoded. Pure. The
 * apiVersion and kind must be ones we answer; fields a newer kubelet may add are ignored, so a
 * kubelet upgrade never breaks pulls. The service-account token is a secret: no message quotes it.
 */
import { HelperError } from '../errors';
import { parseJsonObject } from '../json';
import { quote } from '../quote';

/** The request and response versions the kubelet may be configured with, newest first. */
export const KUBELET_API_VERSIONS = [
  'credentialprovider.kubelet.k8s.io/v1',
  'credentialprovider.kubelet.k8s.io/v1beta1',
  'credentialprovider.kubelet.k8s.io/v1alpha1',
] as const;

/** One of KUBELET_API_VERSIONS. */
export type KubeletApiVersion = (typeof KUBELET_API_VERSIONS)[number];

/** What the kubelet asks for. */
export interface KubeletRequest {
  /** Echoed in the response: the kubelet drops an answer of another version. */
  readonly apiVersion: KubeletApiVersion;
  /** The image being pulled, `host[:port]/path` (the kubelet sends it fully qualified). */
  readonly image: string;
  /** The pod's service-account token, when the provider config has `tokenAttributes`. */
  readonly serviceAccountToken?: string;
  /** The service account's annotations the provider config asks for (may be empty). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
}

const KIND = 'CredentialProviderRequest';
/** How much of a caller's value a message shows. */
const SHOWN = 80;

/** Decodes stdin; every problem is one BAD_INPUT line naming what was wrong. */
export function decodeKubeletRequest(input: string): KubeletRequest {
  const text = input.trim();
  if (text === '') {
    throw bad('no CredentialProviderRequest on stdin (the kubelet writes one as JSON)');
  }
  const record = parseJsonObject(text);
  if (record === 'not JSON') {
    throw bad(
      `stdin is not JSON: expected a CredentialProviderRequest from the kubelet${text.startsWith('{') ? '' : ' (docker sends a server URL to `get`, not `get-credentials`)'}`,
    );
  }
  if (record === 'not an object') throw bad('the CredentialProviderRequest is not a JSON object');
  const apiVersion = record['apiVersion'];
  if (!KUBELET_API_VERSIONS.some((known) => known === apiVersion)) {
    throw bad(
      `unknown apiVersion ${shown(apiVersion)} in the CredentialProviderRequest: expected one of ${KUBELET_API_VERSIONS.join(', ')}`,
    );
  }
  if (record['kind'] !== KIND) {
    throw bad(`expected kind "${KIND}" on stdin, got ${shown(record['kind'])}`);
  }
  const image = record['image'];
  if (typeof image !== 'string' || image.trim() === '') {
    throw bad(`the CredentialProviderRequest has no image (got ${shown(image)})`);
  }
  const token = record['serviceAccountToken'];
  if (token !== undefined && token !== null && typeof token !== 'string') {
    // Never shown: whatever it is, it may be the token.
    throw bad('the CredentialProviderRequest\'s "serviceAccountToken" is not a string');
  }
  return {
    apiVersion: apiVersion as KubeletApiVersion,
    image: image.trim(),
    ...(typeof token === 'string' && token !== '' ? { serviceAccountToken: token } : {}),
    serviceAccountAnnotations: annotationsOf(record['serviceAccountAnnotations']),
  };
}

/**
 * True when text meant for `get` is a kubelet request: a kubelet configured to run `get` (or a
 * docker helper wired into the kubelet by mistake) then hears what to run instead.
 */
export function looksLikeKubeletRequest(input: string): boolean {
  const text = input.trim();
  return text.startsWith('{') && text.includes(`"${KIND}"`);
}

/**
 * The registry part of an image as the kubelet reads it (the text before the first `/`, port
 * included): the key its cache and its credential lookup use for a `Registry` answer.
 */
export function registryOfKubeletImage(image: string): string {
  return image.split('/')[0] ?? '';
}

function annotationsOf(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw bad('the CredentialProviderRequest\'s "serviceAccountAnnotations" is not an object');
  }
  const annotations: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'string') {
      throw bad(`service account annotation ${shown(key)} is not a string`);
    }
    annotations[key] = entry;
  }
  return annotations;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return quote(text.length > SHOWN ? `${text.slice(0, SHOWN)}...` : text);
}

function bad(message: string): HelperError {
  return new HelperError('BAD_INPUT', message);
}
