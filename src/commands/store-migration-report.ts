/** What `configure --store`'s migration did, and its lines in configure's report (no secret). */
import { quote, quoteServerUrl } from '../quote';
import type { DroppedLogin } from './plan-store-migration';

/** What the migration did (or, in a dry run, would do); never a secret. */
export interface StoreMigrationReport {
  readonly configFile: string;
  readonly fallback: string;
  /** True when the helper's config file gets `fallback` (an earlier credsStore). */
  readonly fallbackWritten: boolean;
  /** The helper's config file's copy before it changed. */
  readonly configBackup: string | null;
  /** One per server: where it went, the `auths` keys it came from. */
  readonly moved: readonly {
    readonly serverUrl: string;
    readonly username: string;
    readonly keys: readonly string[];
  }[];
  readonly droppedEcr: readonly string[];
  /** Other spellings of a server with another login than the one docker used. */
  readonly dropped: readonly DroppedLogin[];
  readonly kept: readonly { readonly key: string; readonly why: string }[];
  /** Servers whose login another program changed while configure ran: moved with the new one. */
  readonly changed: readonly string[];
  /** Servers moved, then removed from `auths` by another program (docker logout) meanwhile. */
  readonly vanished: readonly string[];
  /** Earlier backups of config.json that still hold moved passwords in plain text. */
  readonly plaintextBackups: readonly { readonly path: string; readonly count: number }[];
  /** Why the record for --unstore could not be written, if it could not. */
  readonly recordProblem: string | null;
}

/** The migration's lines; `backup` is where the previous config.json went, if anywhere. */
export function migrationLines(
  migration: StoreMigrationReport,
  dryRun: boolean,
  backup: string | null,
): string[] {
  const would = dryRun ? 'would ' : '';
  const lines: string[] = [];
  if (migration.fallbackWritten) {
    lines.push(
      `${would}set fallback = ${quote(migration.fallback)} in ${migration.configFile} (the previous credsStore, so earlier logins keep working)`,
    );
  }
  const target =
    migration.fallback === 'file' ? 'the file store' : `docker-credential-${migration.fallback}`;
  for (const { serverUrl, username, keys } of migration.moved) {
    const from =
      keys.length === 1 && keys[0] === serverUrl
        ? 'auths'
        : keys.map((key) => `auths[${quoteServerUrl(key)}]`).join(', ');
    lines.push(
      `${would}move the login for ${quoteServerUrl(serverUrl)} (user ${quote(username)}) from ${from} into ${target}`,
    );
  }
  for (const serverUrl of migration.changed) {
    lines.push(
      `the login for ${quoteServerUrl(serverUrl)} changed while configure ran (docker login?): moved its new value`,
    );
  }
  for (const { key, username, keptKey } of migration.dropped) {
    const only = backup ? `; it is kept only in ${backup}` : '';
    lines.push(
      `${would}drop auths[${quoteServerUrl(key)}] (user ${quote(username)}): another login for the same server, and docker used auths[${quoteServerUrl(keptKey)}]${only}`,
    );
  }
  for (const host of migration.droppedEcr) {
    lines.push(
      `${would}drop the saved ECR token for ${quote(host)} from auths (minted on demand now)`,
    );
  }
  for (const { key, why } of migration.kept) {
    lines.push(`left auths[${quoteServerUrl(key)}] in place: ${why}`);
  }
  for (const serverUrl of migration.vanished) {
    lines.push(
      `auths[${quoteServerUrl(serverUrl)}] was removed while configure ran (docker logout?), after its login was moved into ${target}: run docker logout ${serverUrl} to remove it there too`,
    );
  }
  if (migration.configBackup) {
    lines.push(`previous ${migration.configFile} saved as ${migration.configBackup}`);
  }
  if (migration.recordProblem) {
    lines.push(`${migration.recordProblem}; configure --unstore will undo what config.json shows`);
  }
  return lines;
}
