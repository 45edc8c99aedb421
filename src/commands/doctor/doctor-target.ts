/**
 * What `doctor` was asked about: a registry (host, server URL) or an image reference
 * (`host/repo[:tag|@digest]`, as docker reads it). Pure.
 */
import { HelperError } from '../../errors';
import { extractHost, parseRegistry, type Registry } from '../../registry/parse-registry';
import { DOCKER_HUB_SERVER } from '../../registry/registry-of-image';

/** A registry, and the image in it when one was named. */
export interface DoctorTarget {
  readonly registry: Registry;
  /** `host[:port]` to send registry requests to. */
  readonly authority: string;
  /**
   * What docker hands the helper's `get` for it: `host[:port]`, or Docker Hub's server URL. The
   * route is resolved from it, port included, as `get` resolves it.
   */
  readonly serverUrl: string;
  readonly image?: { readonly repository: string; readonly reference: string };
}

// Docker's reference grammar (distribution/reference), lower case path components.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Parses the argument; throws a USAGE error for something that is neither form. */
export function parseDoctorTarget(text: string): DoctorTarget {
  const input = text.trim();
  const bad = (why: string): HelperError =>
    new HelperError(
      'USAGE',
      `doctor: ${JSON.stringify(input)} is not a registry or image reference (${why}); e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1`,
    );
  // A URL (https://host/v2/...) names a registry, as docker-py and old configs write it.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(input)) {
    const host = extractHost(input);
    if (!host) throw bad('no host');
    const port = urlPort(input);
    const authority = port ? `${host}:${port}` : host;
    return { registry: parseRegistry(input), authority, serverUrl: serverUrlOf(authority) };
  }
  const slash = input.indexOf('/');
  const first = slash === -1 ? input : input.slice(0, slash);
  // Docker's rule: the first of several components is a registry when it has a dot or a port, or
  // is localhost. Alone, a name with a dot is a registry; `nginx:1` is an image.
  const isHost =
    slash === -1
      ? first.includes('.') || /^localhost(:\d+)?$/.test(first)
      : /[.:]/.test(first) || first === 'localhost';
  if (isHost && slash === -1) {
    const host = extractHost(first);
    if (!host) throw bad('no host');
    const authority = first.toLowerCase();
    return { registry: parseRegistry(first), authority, serverUrl: serverUrlOf(authority) };
  }
  const authority = isHost ? first.toLowerCase() : 'docker.io';
  let path = isHost ? input.slice(slash + 1) : input;
  if (!isHost && !path.includes('/')) path = `library/${path}`;
  let repository = path;
  let reference = 'latest';
  const at = path.indexOf('@');
  if (at !== -1) {
    repository = path.slice(0, at).replace(/:[^/]*$/, '');
    reference = path.slice(at + 1);
    if (!DIGEST.test(reference)) throw bad('bad digest');
  } else {
    const colon = path.lastIndexOf(':');
    if (colon > path.lastIndexOf('/')) {
      repository = path.slice(0, colon);
      reference = path.slice(colon + 1);
      if (!TAG.test(reference)) throw bad('bad tag');
    }
  }
  if (!REPOSITORY.test(repository)) throw bad('bad repository name');
  if (!extractHost(authority)) throw bad('no host');
  return {
    registry: parseRegistry(authority),
    authority,
    serverUrl: serverUrlOf(authority),
    image: { repository, reference },
  };
}

/** The server URL docker passes to `get` for a registry. */
function serverUrlOf(authority: string): string {
  return authority === 'docker.io' || authority === 'index.docker.io'
    ? DOCKER_HUB_SERVER
    : authority;
}

function urlPort(url: string): string {
  try {
    return new URL(url).port;
  } catch {
    return '';
  }
}
