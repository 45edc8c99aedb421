/**
 * Where non-ECR credentials live (docs/universal-mode.md): the built-in file store, another
 * `docker-credential-<name>` helper, or nowhere. Every store speaks the helper protocol's
 * operations; failures are HelperErrors, and an absent entry is `notFound()`.
 */
/** Where non-ECR credentials live: the built-in file store, nowhere, or another helper. */
export type StoreName =
  | { readonly kind: 'file' }
  | { readonly kind: 'none' }
  | { readonly kind: 'helper'; readonly name: string };

/** One registry login, as `docker login` stores it. */
export interface Credentials {
  readonly serverUrl: string;
  readonly username: string;
  readonly secret: string;
}

/** A place credentials are kept. */
export interface CredentialStore {
  /** How messages name it: `docker-credential-pass`, `the file store (<path>)`. */
  readonly label: string;
  /** The login for a server URL; throws notFound() when there is none. */
  get(serverUrl: string): Promise<Credentials>;
  store(credentials: Credentials): Promise<void>;
  /** Forgets a server URL; absent is not an error. */
  erase(serverUrl: string): Promise<void>;
  /** Server URL -> user name of every login it holds. */
  list(): Promise<Record<string, string>>;
}

/** Opens the store a route names (the composition passes the implementation in). */
export type OpenStore = (name: StoreName) => CredentialStore;
