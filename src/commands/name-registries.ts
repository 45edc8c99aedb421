/**
 * `configure --store REGISTRY...`: each ECR registry named also becomes a `"<host>": {}` key of the
 * helper's config file (docs/clients.md#list). With the helper as docker's credsStore such a key
 * changes nothing for `get` (the default identity), but `list` names the registry on a cold
 * cache, which GitLab Runner and the other clients that `get` only what `list` names need. Keys
 * already there are left as they are; every other byte of the file too.
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { configFilePath } from '../config/config-file-path';
import { parseConfigFile } from '../config/parse-config-file';
import type { Env } from '../env';
import { HelperError } from '../errors';
import { parseRegistry } from '../registry/parse-registry';
import { readHelperConfig, writeHelperConfig } from './helper-config-file';

/** What naming the registries did (or, in a dry run, would do). */
export interface NamedRegistries {
  readonly configFile: string;
  readonly added: readonly string[];
  readonly present: readonly string[];
}

/** Adds the ECR hosts of `registries` as empty keys of the helper's config file. */
export function nameRegistries(options: {
  readonly registries: readonly string[];
  readonly env: Env;
  readonly home: string | null;
  readonly dryRun: boolean;
  readonly now: () => Date;
}): NamedRegistries {
  const configFile = configFilePath(options.env, options.home).path;
  if (configFile === null) {
    throw new HelperError(
      'CONFIG',
      'configure --store with registries needs a home folder, XDG_CONFIG_HOME or ECR_TS_CONFIG for the helper config file',
    );
  }
  const hosts = [...new Set(options.registries.map((input) => parseRegistry(input).host))];
  const keysOf = (text: string): Record<string, unknown> =>
    (parseOrRefuse(text, configFile)['registries'] ?? {}) as Record<string, unknown>;
  const registries = keysOf(readHelperConfig(configFile) ?? '{}\n');
  const present = hosts.filter((host) => Object.hasOwn(registries, host));
  const added = hosts.filter((host) => !present.includes(host));
  if (added.length === 0 || options.dryRun) return { configFile, added, present };
  // Written where the file is (through a dotfiles manager's symlink), as --store's fallback is.
  writeHelperConfig({
    path: configFile,
    now: options.now,
    edit: (current) => {
      const text = current ?? '{}\n';
      const missing = added.filter((host) => !Object.hasOwn(keysOf(text), host));
      let after = text;
      for (const host of missing) after = withKey(after, host);
      // The edit is text surgery: the helper must still read the file, and read the keys.
      const table = parseConfigFile(after, configFile);
      if (!added.every((host) => table.entries().some((entry) => entry.key === host))) {
        throw new HelperError('INTERNAL', `internal error: editing ${configFile} went wrong`);
      }
      return after;
    },
  });
  return { configFile, added, present };
}

/** The lines `configure` prints for it. */
export function namedRegistriesLines(named: NamedRegistries, dryRun: boolean): string[] {
  const add = dryRun ? 'would add' : 'added';
  return [
    ...named.added.map(
      (host) =>
        `${add} registries[${JSON.stringify(host)}] = {} to ${named.configFile} (so list names it)`,
    ),
    ...named.present.map(
      (host) => `already in ${named.configFile}: registries[${JSON.stringify(host)}]`,
    ),
  ];
}

/**
 * `text` with `"<host>": {}` added to `registries`. After an existing entry it goes on a line of
 * its own with that entry's indentation, leaving the entries before it as written (jsonc-parser's
 * formatter would rewrite the previous entry too); otherwise (no entries yet) jsonc-parser formats
 * what it inserts.
 */
/** The file as the helper would read it, refused (naming the problem) when it would not. */
function parseOrRefuse(text: string, file: string): Record<string, unknown> {
  try {
    parseConfigFile(text, file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HelperError('CONFIG', `${reason}; fix it first, nothing was changed`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

function withKey(text: string, host: string): string {
  const registries = (JSON.parse(text) as { registries?: object }).registries ?? {};
  const [plain] = modify(text, ['registries', host], {}, {});
  if (Object.keys(registries).length > 0 && plain?.length === 0 && plain.content.startsWith(',')) {
    const lineStart = text.lastIndexOf('\n', plain.offset - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const content = `,${eol}${indent}${JSON.stringify(host)}: {}`;
    return applyEdits(text, [{ ...plain, content }]);
  }
  return applyEdits(
    text,
    modify(text, ['registries', host], {}, { formattingOptions: formatting(text) }),
  );
}

/** The file's own indentation for inserted text (two spaces for a new file). */
function formatting(text: string): FormattingOptions {
  const indent = /^\{\s*?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return indent.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1 }
    : { insertSpaces: true, tabSize: indent.length };
}
