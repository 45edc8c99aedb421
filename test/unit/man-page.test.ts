/**
 * The man page (man/docker-credential-ecr-ts.1.md, built by scripts/build-man.mjs) covers every
 * command the CLI has and every setting the code reads: adding one without documenting it fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const page = readFileSync(join(ROOT, 'man', 'docker-credential-ecr-ts.1.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('the man page', () => {
  it('names every command of the usage line', () => {
    const cli = readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8');
    const commands = [
      ...(/const ACTIONS = \[([^\]]*)\]/.exec(cli)?.[1] ?? '').matchAll(/'([a-z]+)'/g),
      ...(/const HUMAN_COMMANDS = \[([^\]]*)\]/.exec(cli)?.[1] ?? '').matchAll(/'([a-z]+)'/g),
    ].map((match) => match[1]);
    expect(commands).toEqual(expect.arrayContaining(['get', 'configure', 'doctor', 'help']));
    for (const command of commands)
      expect([command, page.includes(`- \`${command}\``)]).toEqual([command, true]);
  });

  it('describes every option the command line declares', () => {
    const cli = readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8');
    const options = [...cli.matchAll(/\.option\(\s*'(--[a-z-]+)/g)].map((match) => match[1]);
    expect(options).toEqual(expect.arrayContaining(['--store', '--remove', '--dry-run', '--json']));
    for (const option of options) {
      expect([option, page.includes(`\`${option}\``)]).toEqual([option, true]);
    }
  });

  it('lists every ECR_TS_*, AWS_ECR_* and XDG_* variable the code reads', () => {
    const read = new Set(
      sources(join(ROOT, 'src')).flatMap((text) =>
        [...text.matchAll(/\b((?:ECR_TS|AWS_ECR|XDG)_[A-Z_]+)\b/g)].map((match) => match[1] ?? ''),
      ),
    );
    expect(read.size).toBeGreaterThan(5);
    const missing = [...read].filter((name) => !page.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
