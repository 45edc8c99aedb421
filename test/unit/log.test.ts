import { createLogger } from '../../src/log';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What the logger writes for `message` at debug level, prefix stripped. */
function logged(message: string): string {
  const lines: string[] = [];
  createLogger({ level: 'debug', write: (line) => lines.push(line) }).debug(message);
  return lines
    .join('')
    .replace(/^docker-credential-ecr-ts: debug: /, '')
    .replace(/\n$/, '');
}

describe('logging', () => {
  it('writes only at or above the level, prefixed with the product name', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines).toEqual(['docker-credential-ecr-ts: warn: shown\n']);
  });
  it('redacts registered secrets and AWS key shapes', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    logger.addSecret('hunter2-password');
    logger.debug('token hunter2-password key AKIAABCDEFGHIJKLMNOP {"SecretAccessKey":"abc/def"}');
    expect(lines.join('')).not.toMatch(/hunter2-password|ABCDEFGHIJKLMNOP|abc\/def/);
  });
  it('leaves ordinary text alone', () => {
    expect(logged('pulling public.ecr.aws/amazonlinux')).toBe('pulling public.ecr.aws/amazonlinux');
    expect(logged('GetAuthorizationToken: ECONNRESET')).toBe('GetAuthorizationToken: ECONNRESET');
  });
  it.each([
    ['token: abc123', 'token: ***'],
    ['{"Token":"abc/123=="}', '{"Token":"***"}'],
    ['secret=hunter2', 'secret=***'],
    ['Authorization: Bearer xyz', 'Authorization: ***'],
  ])('masks the value of %j', (input, output) => {
    expect(logged(input)).toBe(output);
  });
  it.each([
    // A secret's ARN is its name, not its value: the key word follows a colon there.
    'cannot read arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf (AccessDenied)',
    // A format hint's placeholders hold nothing.
    'expected a JSON object {"username": "...", "password": "..."}',
  ])('leaves %j alone: it holds no secret', (text) => {
    expect(logged(text)).toBe(text);
  });
});

describe('the logger on free text', () => {
  it.each([
    ['through proxy http://u:p/w@proxy:8080 failed', 'through proxy http://***@proxy:8080 failed'],
    ['at https://a:b@c@example.com/x, then', 'at https://***@example.com/x, then'],
  ])('masks user info in URLs inside %j', (input, output) => {
    const lines: string[] = [];
    createLogger({ level: 'debug', write: (line) => lines.push(line) }).debug(input);
    expect(lines).toEqual([`docker-credential-ecr-ts: debug: ${output}\n`]);
  });
});

describe('createLogger()', () => {
  it('writes each message as one line without control characters', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    logger.debug('first\nsecond $(id) \u001b[2J\u0007');
    expect(lines).toHaveLength(1);
    const [line = ''] = lines;
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(CONTROL);
  });
});
