// Builds the man page dist/man/docker-credential-ecr-ts.1 from man/docker-credential-ecr-ts.1.md
// with marked-man (markdown in ronn's format to roff). The footer's version is package.json's; the
// date is SOURCE_DATE_EPOCH's when set (reproducible builds), else the last commit's, else today.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'docker-credential-ecr-ts';
const SOURCE = join(ROOT, 'man', `${NAME}.1.md`);
/** Where the man page is built (package.json's "man" names it). */
export const MAN_PAGE = join(ROOT, 'dist', 'man', `${NAME}.1`);

/** Seconds since 1970 of the page's date. */
function sourceDate() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, stdio: 'pipe' });
    const seconds = Number(out.toString().trim());
    if (Number.isFinite(seconds) && seconds > 0) return seconds;
  } catch {
    // Not a git checkout (an unpacked source archive): today.
  }
  return Math.floor(Date.now() / 1000);
}

/** marked escapes `"`, `&`, `<`, `>` and `'` inside code spans as HTML; roff wants them as they are. */
function unescapeHtml(text) {
  const entities = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
  return text.replace(/&(quot|#39|lt|gt|amp);/g, (entity) => entities[entity]);
}

/** Writes the man page (atomically: tests may read it while another build runs). */
export function buildMan() {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const cli = join(ROOT, 'node_modules', 'marked-man', 'bin', 'marked-man.js');
  const roff = execFileSync(
    process.execPath,
    [cli, '--no-breaks', '--version', version, '--manual', 'User Commands', SOURCE],
    {
      cwd: ROOT,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(sourceDate()) },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  mkdirSync(dirname(MAN_PAGE), { recursive: true });
  const temporary = `${MAN_PAGE}.${process.pid}.tmp`;
  writeFileSync(temporary, unescapeHtml(roff.toString('utf8')));
  renameSync(temporary, MAN_PAGE);
  return MAN_PAGE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stderr.write(`build-man: ${buildMan()}\n`);
}
