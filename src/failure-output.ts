/**
 * The one place a failure becomes output. Protocol callers (docker, docker-py, podman) read one
 * line on stdout and compare it to known texts; people at a terminal (configure) read stderr.
 */
import { PRODUCT } from './product';
import { toHelperError } from './errors';

/** Who reads a command's failure: a credential-helper client, or a person. */
export type Audience = 'protocol' | 'human';

/** What one invocation prints, how it exits, and what its failure tells the log. */
export interface Outcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** A protocol failure's reason, for the composition root to log (see failureOutput). */
  readonly reason?: {
    readonly text: string;
    /** False for not-found: an answer callers act on (anonymous pull), not a failure to show. */
    readonly tellUser: boolean;
  };
}

/** Turns anything thrown into the output of a failed invocation, exit status 1. */
export function failureOutput(error: unknown, audience: Audience): Outcome {
  const { code, message, exitCode = 1 } = toHelperError(error);
  if (audience === 'human') {
    return { exitCode: 1, stdout: '', stderr: `${PRODUCT}: error: ${message}\n` };
  }
  // docker pull (CLI 28) drops a helper's failure text from stdout and pulls anonymously, so the
  // user would see only "no basic auth credentials": the reason must reach the log (stderr) too.
  return {
    exitCode,
    stdout: `${message}\n`,
    stderr: '',
    reason: { text: message, tellUser: code !== 'NOT_FOUND' },
  };
}
