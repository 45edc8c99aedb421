/**
 * The real OpenStore: the built-in file store, `none`, or another `docker-credential-<name>`
 * (docs/universal-mode.md). Opening is free; each store finds its file or helper when first used, so a route
 * that is never taken costs nothing and fails nothing. The stores' modules are loaded then too:
 * a call that answers from the token cache never evaluates them (docs/benchmarks.md).
 */
import type { CallContext } from '../call-context';
import { HelperError, notFound } from '../errors';
import { quoteServerUrl } from '../quote';
import type { CredentialStore, OpenStore, StoreName } from './credential-store';
import { fileStorePath, fileStorePathOrNull } from './file-store-path';
import { createHelperStore } from './helper-store';
import type { Program } from './program';

/** Our own kill must come before the call's deadline, so its message (naming the helper) wins. */
const KILL_MARGIN_MS = 300;

/** What stores need beyond the call context. */
interface OpenStoreOptions {
  readonly context: CallContext;
  /** The user's home folder (the file store's default place). */
  readonly home: string | null;
  /** The current user (files of others are refused). */
  readonly uid: number;
  /** Paths this program runs from: a helper resolving to one of them is refused. */
  readonly self: readonly string[];
}

/** Opens stores for one call. */
export function createOpenStore(options: OpenStoreOptions): OpenStore {
  return (name) => openStore(name, options);
}

function openStore(name: StoreName, options: OpenStoreOptions): CredentialStore {
  const { context } = options;
  switch (name.kind) {
    case 'none':
      return noneStore;
    case 'file': {
      let store: CredentialStore | undefined;
      const open = async (): Promise<CredentialStore> => {
        const { createFileStore } = await import('./file-store');
        return (store ??= createFileStore({
          path: fileStorePath(context.env, options.home),
          owner: { uid: options.uid },
          deadline: context.deadline,
          warn: (message) => context.logger.warn(message),
        }));
      };
      // No home folder and no XDG_DATA_HOME: the store has no place, so it holds nothing; only
      // `store` needs one, and says so.
      const homeless = (): boolean => !fileStorePathOrNull(context.env, options.home);
      return {
        label: 'the file store',
        get: async (serverUrl) => {
          if (homeless()) throw notFound();
          return (await open()).get(serverUrl);
        },
        store: async (credentials) => (await open()).store(credentials),
        erase: async (serverUrl) => {
          if (!homeless()) await (await open()).erase(serverUrl);
        },
        list: async () => (homeless() ? {} : (await open()).list()),
      };
    }
    case 'helper':
      return createHelperStore({
        name: name.name,
        program: helperProgram(name.name, options),
        log: context.logger,
      });
  }
}

/** Runs `docker-credential-<name>`, found on first use, bounded by the call. */
function helperProgram(name: string, options: OpenStoreOptions): Program {
  const { context } = options;
  return async (action, input) => {
    const [{ ancestorRunningSelf }, { execProgram }, { delegatedEnv, findHelper }] =
      await Promise.all([
        import('./ancestor-self'),
        import('./exec-program'),
        import('./find-helper'),
      ]);
    const path = findHelper({
      name,
      env: context.env,
      self: options.self,
      ancestor: () => ancestorRunningSelf(options.self),
    });
    context.progress.step = `waiting for docker-credential-${name} to answer ${action}`;
    context.logger.debug(`delegating ${action} to ${path}`);
    const deadline = context.deadline - KILL_MARGIN_MS;
    return execProgram({
      path,
      // An instance of this program below it ends by our deadline for it, whatever it is told.
      env: delegatedEnv(context.env, deadline),
      deadline,
      signal: context.signal,
    })(action, input);
  };
}

/** `fallback: "none"`: nothing is kept for other registries. */
const noneStore: CredentialStore = {
  label: 'no store',
  get: async () => {
    throw notFound();
  },
  store: async (credentials) => {
    throw new HelperError(
      'CANNOT_STORE',
      `cannot store credentials for ${quoteServerUrl(credentials.serverUrl)}: it is not an ECR registry and no fallback helper is configured`,
    );
  },
  erase: async () => undefined,
  list: async () => ({}),
};
