import { HelperError, NOT_FOUND_TEXT, notFound } from '../../src/errors';
import { failureOutput } from '../../src/failure-output';

describe('failureOutput()', () => {
  it('gives a protocol caller the message as one stdout line, and the log its reason', () => {
    const error = new HelperError(
      'ACCESS_DENIED',
      'access denied\ncalling ecr:GetAuthorizationToken',
    );
    expect(failureOutput(error, 'protocol')).toEqual({
      exitCode: 1,
      stdout: 'access denied calling ecr:GetAuthorizationToken\n',
      stderr: '',
      reason: { text: 'access denied calling ecr:GetAuthorizationToken', tellUser: true },
    });
  });

  it('answers not-found with the exact text and keeps it from the user: it is an answer', () => {
    expect(failureOutput(notFound(), 'protocol')).toEqual({
      exitCode: 1,
      stdout: `${NOT_FOUND_TEXT}\n`,
      stderr: '',
      reason: { text: NOT_FOUND_TEXT, tellUser: false },
    });
  });

  it('tells a person on stderr, prefixed with the product name, and leaves stdout empty', () => {
    const error = new HelperError('USAGE', "unknown option '--x'");
    expect(failureOutput(error, 'human')).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "docker-credential-ecr-ts: error: unknown option '--x'\n",
    });
  });

  it('reports anything else thrown as an internal error without its stack', () => {
    const output = failureOutput(new TypeError('x is undefined'), 'protocol');
    expect(output.stdout).toBe('internal error: x is undefined\n');
    expect(output.stdout).not.toMatch(/\n\s+at /);
  });
});
