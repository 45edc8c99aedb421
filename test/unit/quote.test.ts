import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../src/log';
import { hideUserInfo, oneLine, quote, quoteServerUrl, withoutUserInfo } from '../../src/quote';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs();
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DIGEST = `sha256:${'ab12'.repeat(16)}`;

describe('hideUserInfo()', () => {
  it.each([
    ['https://bob:hunter2@example.com', 'https://***@example.com'],
    ['https://bob:pa/ss@example.com', 'https://***@example.com'],
    ['https://bob:p@ss@example.com/v2/', 'https://***@example.com/v2/'],
    ['https://bob:pa ss@example.com', 'https://***@example.com'],
    ['https://bob:pa"ss@example.com', 'https://***@example.com'],
    ['https://bob:pa#ss@example.com', 'https://***@example.com'],
    ['https://bob:pa?ss@example.com', 'https://***@example.com'],
    ['https://bob:pa\\ss@example.com', 'https://***@example.com'],
    ['bob:hunter2@example.com', '***@example.com'],
    ['bob:hunter2@example.com:5000/repo', '***@example.com:5000/repo'],
    ['https://ghp_tokenAsUserName@example.com', 'https://***@example.com'],
    [`https://bob:pw@example.com/repo@${DIGEST}`, `https://***@example.com/repo@${DIGEST}`],
  ])('masks everything before the last @ of %j', (input, output) => {
    expect(hideUserInfo(input)).toBe(output);
  });

  it.each([
    'https://example.com/v2/',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@${DIGEST}`,
    '',
  ])('leaves %j, which has no user info, alone', (input) => {
    expect(hideUserInfo(input)).toBe(input);
  });
});

describe('quote()', () => {
  it('is JSON a program can read back', () => {
    const text = 'a "b" \\ c $HOME `id` \u001b[31m \u0085 \u2028';
    expect(JSON.parse(quote(text))).toBe(text);
  });

  it('leaves no $, backtick or control character for a shell or a terminal to act on', () => {
    const quoted = quote('x$(id)`id`\u001b]0;TITLE\u0007\u0000\u009b\u007f');
    expect(quoted).not.toMatch(CONTROL);
    expect(quoted).not.toMatch(/[$`]/);
  });

  it('stays inert in a log line that a shell sources', () => {
    const dir = tempDir();
    const marker = join(dir, 'pwned');
    const log = join(dir, 'log');
    const logger = createLogger({
      level: 'debug',
      write: (line) => appendFileSync(log, line),
      now: () => new Date(),
    });
    for (const hostile of [`x$(touch ${marker})`, `x\`touch ${marker}\``]) {
      logger.debug(`get ${quoteServerUrl(hostile)}: other registry`);
      logger.debug(`as an argument: echo ${quote(hostile)}`);
    }
    // The timestamp is not a command; what matters is that no expansion ran.
    spawnSync('bash', ['-c', `. ${log}`], { stdio: 'ignore' });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('quoteServerUrl()', () => {
  it('masks the user info, then quotes', () => {
    expect(quoteServerUrl('bob:pa"ss@example.com')).toBe('"***@example.com"');
    expect(quoteServerUrl('https://example.com/$(id)')).not.toContain('$(');
  });
});

describe('oneLine()', () => {
  it('makes line breaks and tabs spaces, drops every other control character', () => {
    const line = oneLine('  denied:\r\n\tno \u001b[31mpull\u001b[0m\u009b2J access\u0007 \n', 100);
    expect(line).toBe('denied: no [31mpull[0m2J access');
    expect(line).not.toMatch(CONTROL);
  });

  it('cuts a longer text to `max` characters, ending in ...', () => {
    expect(oneLine('x'.repeat(20), 10)).toBe(`${'x'.repeat(7)}...`);
    expect(oneLine('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });
});

describe('withoutUserInfo()', () => {
  it.each([
    ['https://bob:pw@registry.example.com/v2/', 'https://registry.example.com/v2/'],
    ['bob:p@ss@registry.example.com', 'registry.example.com'],
    ['ghcr.io/a@b', 'ghcr.io/a@b'],
    ['https://bob:pa/ss@registry.example.com', 'https://registry.example.com'],
    ['https://bob:pa?ss@registry.example.com/v2/', 'https://registry.example.com/v2/'],
    ['bob:p@ss/x@registry.example.com', 'registry.example.com'],
    ['ghcr.io', 'ghcr.io'],
  ])('%j is kept as %j', (url, kept) => {
    expect(withoutUserInfo(url)).toBe(kept);
  });
});
