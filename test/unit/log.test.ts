import { createLogger } from '../../src/log';

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
});
