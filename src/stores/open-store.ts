/**
 * Opens the store a route names. MINIMAL version of the routes branch: only `none` is real (the
 * universal-stores branch brings the file store and delegation to other helpers, and replaces
 * this file). Until then the `file` store holds nothing and refuses `store`, and a helper store
 * is a clear error rather than a silent not-found.
 */
import { HelperError, notFound } from '../errors';
import type { StoreName } from '../routing/route';
import type { CredentialStore, OpenStore } from './credential-store';

/** The store of a route or the fallback. */
export const openStore: OpenStore = (name: StoreName): CredentialStore => {
  if (name.kind === 'helper') {
    const fail = async (): Promise<never> => {
      throw new HelperError(
        'CONFIG',
        `delegating to docker-credential-${name.name} is not supported by this build`,
      );
    };
    return {
      label: `docker-credential-${name.name}`,
      get: fail,
      store: fail,
      erase: fail,
      list: fail,
    };
  }
  const label = name.kind === 'none' ? 'no store' : 'the file store';
  return {
    label,
    get: async () => {
      throw notFound();
    },
    store: async (credentials) => {
      throw new HelperError(
        'CANNOT_STORE',
        `cannot store credentials for ${JSON.stringify(credentials.serverUrl)}: it is not an ECR registry and no fallback helper is configured`,
      );
    },
    erase: async () => undefined,
    list: async () => ({}),
  };
};
