import { parseSecret } from '../../../src/aws/parse-secret';
import { isHelperError } from '../../../src/errors';

describe('parseSecret()', () => {
  it('reads {"username","password"} and ignores other keys', () => {
    expect(parseSecret('{"username":"u","password":"p","note":1}', 's')).toEqual({
      username: 'u',
      password: 'p',
    });
  });

  it.each([
    [undefined, 'has no string value (it is binary)'],
    ['not json at all: hunter2', 'is not valid JSON'],
    ['["hunter2"]', 'is not a JSON object'],
    ['{"username":"u"}', 'has no "password" string'],
    ['{"password":"hunter2"}', 'has no "username" string'],
    ['{"username":"u","password":""}', 'has no "password" string'],
  ])('refuses %j without quoting it', (text, problem) => {
    let message = '';
    try {
      parseSecret(text, 'hub');
    } catch (error) {
      expect(isHelperError(error, 'BAD_SECRET')).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toContain(`the Secrets Manager secret "hub" ${problem}.`);
    expect(message).not.toContain('hunter2');
  });
});
