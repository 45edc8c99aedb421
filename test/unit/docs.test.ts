/**
 * The repository explains itself: every file, folder and link the docs name exists (anchors
 * included), and no source, test or doc cites a document that is not in the repository (a
 * specification beside it, an outside report, an issue number). Code comments cite docs/ instead,
 * and those citations must exist too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** The documents whose paths and links are checked. */
const DOCS = ['README.md', 'CONTRIBUTING.md', ...listFiles('docs', (file) => file.endsWith('.md'))];

/**
 * Being rewritten while the code is restructured: their paths and citations are not checked until
 * that work merges, when the lead empties this list. A section is cut from its heading to the
 * next heading of the same level.
 */
const NOT_CHECKED_YET: Readonly<Record<string, 'whole file' | { section: string }>> = {};

/** Where a citation of a document outside the repository is looked for. */
const CITING = [
  ...listFiles('src'),
  ...listFiles('test'),
  ...listFiles('scripts'),
  ...listFiles('bench'),
  ...listFiles('bin'),
  ...DOCS,
  'install.sh',
  'eslint.config.mjs',
].filter(
  // This file names the patterns it looks for.
  (file) => file !== 'test/unit/docs.test.ts',
);

/** Ways of citing what is not in the repository, and what each one cites. */
const OUTSIDE: readonly (readonly [RegExp, string])[] = [
  [/\bSPEC\b/, 'the specification beside the repository'],
  [/§/, 'a section of a document outside the repository'],
  [/\bissues? #?\d+/i, 'an issue number'],
  [/\baudit(?:[- ]of)?[- ]2026|\bAUDIT-2026/i, 'an outside audit report'],
  [/\bfindings? \d+/i, 'a finding of an outside audit report'],
];

describe('the docs name only what exists', () => {
  it.each(DOCS.filter((file) => NOT_CHECKED_YET[file] !== 'whole file'))(
    '%s: every repository path and code-span file name exists',
    (file) => {
      expect(missingPaths(checkedText(file))).toEqual([]);
    },
  );

  it.each(DOCS.filter((file) => NOT_CHECKED_YET[file] !== 'whole file'))(
    '%s: every relative link and its anchor exists',
    (file) => {
      expect(brokenLinks(file, checkedText(file))).toEqual([]);
    },
  );

  it('code citing docs/<file>.md[#anchor] names a doc and a heading that exist', () => {
    const broken: string[] = [];
    for (const file of CITING.filter((name) => !name.endsWith('.md'))) {
      for (const match of read(file).matchAll(/\bdocs\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
        const problem = linkProblem(join('docs', match[1] ?? ''), match[2]);
        if (problem) broken.push(`${file}: ${match[0]}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('nothing cites a document outside the repository', () => {
  it('no SPEC, §, issue number, outside audit or finding number', () => {
    const found: string[] = [];
    for (const file of CITING) {
      if (NOT_CHECKED_YET[file] === 'whole file') continue;
      const lines = checkedText(file).split('\n');
      lines.forEach((line, index) => {
        for (const [pattern, what] of OUTSIDE) {
          if (pattern.test(line)) found.push(`${file}:${index + 1}: cites ${what}: ${line.trim()}`);
        }
      });
    }
    expect(found).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find a planted missing path, code-span file, link and anchor', () => {
    const text = [
      'See `src/no/such-file.ts` and src/cache/ and `nothing-like-it.test.ts`.',
      'Also [the protocol](docs/protocol.md#no-such-heading) and [gone](docs/gone.md).',
    ].join('\n');
    expect(missingPaths(text)).toEqual([
      'src/no/such-file.ts',
      'docs/gone.md',
      '`nothing-like-it.test.ts`',
    ]);
    expect(brokenLinks('CONTRIBUTING.md', text)).toEqual([
      'docs/protocol.md#no-such-heading: no heading "no-such-heading"',
      'docs/gone.md: no such file',
    ]);
  });

  it('leave prose and outside paths alone', () => {
    const text =
      'The bin folder, `~/.local/bin`, /usr/local/bin/docker, `dist/main.cjs`, docs in general, ' +
      'the test/support/ helpers, the XDG spec, inspect, specification, 20 findings, issuer.';
    expect(missingPaths(text)).toEqual([]);
    expect(OUTSIDE.filter(([pattern]) => pattern.test(text))).toEqual([]);
  });

  it('recognise every way of citing outside documents', () => {
    for (const text of [
      'SPEC §7',
      'see issue 14',
      'issue #3',
      'audit 2026-12, finding 7',
      'AUDIT-2026-12-B',
      'the audit of 2026-12',
    ]) {
      expect([text, OUTSIDE.some(([pattern]) => pattern.test(text))]).toEqual([text, true]);
    }
  });

  it('make GitHub anchors from headings', () => {
    expect(
      anchorsOf(
        [
          "### Root with a user's HOME",
          '## Moving from `credsStore: desktop` or `pass`',
          '```sh',
          '# not a heading',
          '```',
          '## Twice',
          '## Twice',
        ].join('\n'),
      ),
    ).toEqual(
      new Set([
        'root-with-a-users-home',
        'moving-from-credsstore-desktop-or-pass',
        'twice',
        'twice-1',
      ]),
    );
  });
});

/** Repository paths (`src/…`, `test/…`, …) and code-span file names in `text` that do not exist. */
function missingPaths(text: string): string[] {
  const missing: string[] = [];
  // A root folder name not glued to a longer path (`/usr/local/bin/x`, `~/.local/bin`).
  const pathLike = /(?<![\w./~$@-])((?:src|test|docs|scripts|bench|bin)\/[\w./-]*)/g;
  for (const match of text.matchAll(pathLike)) {
    const path = (match[1] ?? '').replace(/[.]+$/, '');
    if (!existsSync(join(ROOT, path))) missing.push(path);
  }
  // Source files named in a code span, with or without their folder: `cache/token-store.ts`.
  for (const match of text.matchAll(/`([\w.-]+(?:\/[\w.-]+)*\.(?:ts|mjs|cjs))`/g)) {
    const name = match[1] ?? '';
    if (/^(?:src|test|docs|scripts|bench|bin|dist)\//.test(name)) continue;
    const found = name.includes('/')
      ? ['', 'src', 'test'].some((base) => existsSync(join(ROOT, base, name)))
      : FILE_NAMES.has(name);
    if (!found) missing.push(`\`${name}\``);
  }
  return missing;
}

/** Relative links of `file`'s `text` whose target or anchor does not exist. */
function brokenLinks(file: string, text: string): string[] {
  const broken: string[] = [];
  for (const match of withoutCodeBlocks(text).matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1] ?? '';
    if (/^[a-z]+:/i.test(target)) continue;
    const [path = '', anchor] = target.split('#');
    const resolved = path ? relative(ROOT, resolve(ROOT, dirname(file), path)) : file;
    const problem = linkProblem(resolved, anchor);
    if (problem) broken.push(`${target}: ${problem}`);
  }
  return broken;
}

/** Why `path` (from the root), and `anchor` in it, cannot be linked to; undefined when they can. */
function linkProblem(path: string, anchor: string | undefined): string | undefined {
  if (!existsSync(join(ROOT, path))) return 'no such file';
  if (anchor === undefined || anchor === '') return undefined;
  if (!path.endsWith('.md')) return 'an anchor in a file that is not markdown';
  return anchorsOf(read(path)).has(anchor) ? undefined : `no heading "${anchor}"`;
}

/** The anchors GitHub gives the headings of a markdown text. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The text with fenced code blocks blanked out (their lines kept, empty). */
function withoutCodeBlocks(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** `file`'s text, without a section NOT_CHECKED_YET names (its lines kept, empty). */
function checkedText(file: string): string {
  const text = read(file);
  const skip = NOT_CHECKED_YET[file];
  if (skip === undefined || skip === 'whole file') return text;
  const lines = text.split('\n');
  const start = lines.indexOf(skip.section);
  if (start === -1) throw new Error(`${file} has no section "${skip.section}": update this test`);
  const level = /^#+/.exec(skip.section)?.[0] ?? '##';
  const next = lines.findIndex(
    (line, index) => index > start && new RegExp(`^#{1,${level.length}}\\s`).test(line),
  );
  const end = next === -1 ? lines.length : next;
  return lines.map((line, index) => (index >= start && index < end ? '' : line)).join('\n');
}

function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** Files under `dir` (relative to the root), recursively. */
function listFiles(dir: string, keep: (file: string) => boolean = () => true): string[] {
  const files: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(join(ROOT, at))) {
      const path = join(at, name);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (keep(path)) files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}

/** The name of every file in the source folders and at the root: code spans may name one alone. */
const FILE_NAMES = new Set(
  [
    ...['src', 'test', 'scripts', 'bench', 'bin'].flatMap((dir) => listFiles(dir)),
    ...readdirSync(ROOT),
  ].map((path) => path.split('/').pop() ?? ''),
);
