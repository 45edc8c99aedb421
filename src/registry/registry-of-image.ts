/**
 * The registry an image reference or registry name points at, as a server URL the routes and
 * stores understand. Pure. Follows docker's rule: the first path component is a registry when it
 * has a dot or a port or is `localhost`; otherwise the image is on Docker Hub.
 */

/** Where Docker keeps Docker Hub logins (`docker login` with no server). */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

/** `ghcr.io/o/app:1` -> `ghcr.io`; `node:24`, `library/node` -> Docker Hub; URLs unchanged. */
export function registryOfImage(reference: string): string {
  const text = reference.trim();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return text;
  const slash = text.indexOf('/');
  const first = slash === -1 ? text : text.slice(0, slash);
  const isRegistry =
    slash === -1
      ? // A bare name is a registry only when it reads as a host: `quay.io`, `localhost:5000`.
        /\./.test(first.split(':')[0] ?? '') || /^localhost(:\d+)?$/.test(first)
      : /[.:]/.test(first) || first === 'localhost';
  return isRegistry ? first : DOCKER_HUB_SERVER;
}
