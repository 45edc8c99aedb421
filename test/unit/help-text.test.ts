import type { Wiring } from '../../src/compose';
import { HELP_TEXT } from '../../src/help-text';

// Off a terminal, as docker, scripts and this test's pipes are: commander then wraps at 80.
jest.mock('../../src/write-fd', () => ({
  ...jest.requireActual<typeof import('../../src/write-fd')>('../../src/write-fd'),
  isTerminal: () => false,
}));

// eslint-disable-next-line @typescript-eslint/no-require-imports -- after the mock above
const { runCli } = require('../../src/cli') as typeof import('../../src/cli');

/** Help never reaches the call: a wiring whose every use fails the test. */
const call = {
  get config(): never {
    throw new Error('help must not read the settings');
  },
  run: () => Promise.reject(new Error('help must not run an action')),
} as unknown as Wiring;

describe('the help main.ts prints without loading the command line', () => {
  it.each([['--help'], ['-h'], ['help']])('is what commander prints for %s', async (arg) => {
    expect(await runCli([arg], call)).toEqual({ exitCode: 0, stdout: HELP_TEXT, stderr: '' });
  });
});
