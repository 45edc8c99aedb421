import { isHelperError, NOT_FOUND_TEXT } from '../../../src/errors';
import { failureOutput } from '../../../src/failure-output';
import { createLogger } from '../../../src/log';
import { createHelperStore } from '../../../src/stores/helper-store';
import type { Program, ProgramOutcome } from '../../../src/stores/program';

const SECRET = 'pa55-SENTINEL-helper-store';

/** A fake Program keyed on action and stdin, recording every run (docker-credential-helpers' style). */
function fakeProgram(answers: Record<string, ProgramOutcome>): Program & { runs: string[][] } {
  const runs: string[][] = [];
  const program = async (action: string, input: string): Promise<ProgramOutcome> => {
    runs.push([action, input]);
    const answer = answers[`${action} ${input}`] ?? answers[action];
    if (!answer) throw new Error(`unexpected ${action} ${input}`);
    return answer;
  };
  return Object.assign(program, { runs });
}

const exited = (status: number, stdout: string): ProgramOutcome => ({
  kind: 'exited',
  status,
  stdout,
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isHelperError(error)) return { ...failureOutput(error, 'protocol'), code: error.code };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('createHelperStore()', () => {
  it('get passes the server URL on stdin and answers the helper credentials', async () => {
    const program = fakeProgram({
      'get ghcr.io': exited(
        0,
        JSON.stringify({ ServerURL: 'ghcr.io', Username: 'me', Secret: SECRET }),
      ),
    });
    const store = createHelperStore({ name: 'pass', program });
    await expect(store.get('ghcr.io')).resolves.toEqual({
      serverUrl: 'ghcr.io',
      username: 'me',
      secret: SECRET,
    });
    expect(program.runs).toEqual([['get', 'ghcr.io']]);
  });

  it('store passes the login as the helper protocol JSON', async () => {
    const program = fakeProgram({ store: exited(0, '') });
    const store = createHelperStore({ name: 'pass', program });
    await store.store({ serverUrl: 'ghcr.io', username: 'me', secret: SECRET });
    expect(program.runs).toEqual([
      ['store', JSON.stringify({ ServerURL: 'ghcr.io', Username: 'me', Secret: SECRET })],
    ]);
  });

  it('passes the not-found answer through as not-found, with its exit status', async () => {
    const store = createHelperStore({
      name: 'pass',
      program: fakeProgram({ get: exited(1, `${NOT_FOUND_TEXT}\n`) }),
    });
    const out = await failure(store.get('ghcr.io'));
    expect(out).toMatchObject({ code: 'NOT_FOUND', exitCode: 1, stdout: `${NOT_FOUND_TEXT}\n` });
    expect(out.reason?.tellUser).toBe(false);
  });

  it('reads the empty login of docker-credential-helpers < 0.7 as not-found', async () => {
    const program = fakeProgram({
      get: exited(0, JSON.stringify({ ServerURL: 'ghcr.io', Username: '', Secret: '' })),
    });
    const out = await failure(createHelperStore({ name: 'pass', program }).get('ghcr.io'));
    expect(out).toMatchObject({ code: 'NOT_FOUND', stdout: `${NOT_FOUND_TEXT}\n` });
  });

  it("passes the helper's own failure text and exit status through unchanged", async () => {
    const program = fakeProgram({
      erase: exited(3, 'error: gpg: decryption failed: No secret key\n'),
    });
    const out = await failure(createHelperStore({ name: 'pass', program }).erase('ghcr.io'));
    expect(out).toMatchObject({
      code: 'DELEGATE',
      exitCode: 3,
      stdout: 'error: gpg: decryption failed: No secret key\n',
    });
  });

  it.each<[string, ProgramOutcome, RegExp]>([
    [
      'crash',
      { kind: 'killed', signal: 'SIGSEGV' },
      /^docker-credential-pass crashed during get \(SIGSEGV\)\n$/,
    ],
    [
      'missing',
      { kind: 'missing', reason: 'EACCES' },
      /^docker-credential-pass could not be started \(EACCES\)/,
    ],
    [
      'hang',
      { kind: 'timeout', seconds: 9.7 },
      /^docker-credential-pass did not answer get within 9.7 s and was stopped/,
    ],
    [
      'runaway output',
      { kind: 'too-large', limitBytes: 1024 * 1024 },
      /^docker-credential-pass answered get with more than 1 MB/,
    ],
    [
      'silent failure',
      exited(2, ''),
      /^docker-credential-pass failed during get \(exit status 2\) without a message/,
    ],
    [
      'garbage',
      exited(0, `not json ${SECRET}`),
      /^docker-credential-pass answered get with something other than credentials JSON\n$/,
    ],
    [
      'JSON of the wrong shape',
      exited(0, JSON.stringify({ Username: 'me', Secret: 42 })),
      /other than credentials JSON/,
    ],
    ['a JSON array', exited(0, '[]'), /other than credentials JSON/],
  ])(
    'reports a %s on get as one line naming the helper, never quoting its output',
    async (_, outcome, text) => {
      const out = await failure(
        createHelperStore({ name: 'pass', program: fakeProgram({ get: outcome }) }).get('ghcr.io'),
      );
      expect(out.stdout).toMatch(text);
      expect(out.stdout.trim().split('\n')).toHaveLength(1);
      expect(out.stdout).not.toContain(SECRET);
      expect(out.reason?.tellUser).toBe(true);
    },
  );

  it('list answers the helper map, and refuses anything but a map of strings', async () => {
    const good = fakeProgram({
      list: exited(0, '{"ghcr.io":"me","https://index.docker.io/v1/":"you"}'),
    });
    await expect(createHelperStore({ name: 'x', program: good }).list()).resolves.toEqual({
      'ghcr.io': 'me',
      'https://index.docker.io/v1/': 'you',
    });
    const empty = fakeProgram({ list: exited(0, 'null') });
    await expect(createHelperStore({ name: 'x', program: empty }).list()).resolves.toEqual({});
    const bad = fakeProgram({ list: exited(0, '{"ghcr.io":1}') });
    expect((await failure(createHelperStore({ name: 'x', program: bad }).list())).stdout).toMatch(
      /^docker-credential-x answered list with something other than a JSON object of server URLs/,
    );
  });
});

describe('createHelperStore() and what a helper prints besides its answer', () => {
  /** A debug logger whose lines are kept. */
  function debugLog() {
    const lines: string[] = [];
    return { lines, log: createLogger({ level: 'debug', write: (line) => lines.push(line) }) };
  }

  it('logs its stderr only once the secret of its answer is masked', async () => {
    const { lines, log } = debugLog();
    const program = fakeProgram({
      get: {
        ...exited(0, JSON.stringify({ Username: 'me', Secret: SECRET })),
        stderr: `returning ${SECRET}`,
      },
    });
    await createHelperStore({ name: 'pass', program, log }).get('ghcr.io');
    expect(lines).toEqual([
      'docker-credential-ecr-ts: debug: docker-credential-pass said: returning ***\n',
    ]);
  });

  it('logs its stderr when it fails too, and masks the secret a store passed it', async () => {
    const { lines, log } = debugLog();
    const program = fakeProgram({
      store: { ...exited(1, 'no'), stderr: `cannot keep ${SECRET}` },
      get: { kind: 'killed', signal: 'SIGSEGV', stderr: 'segfault' },
    });
    const store = createHelperStore({ name: 'pass', program, log });
    await failure(store.store({ serverUrl: 'ghcr.io', username: 'me', secret: SECRET }));
    await failure(store.get('ghcr.io'));
    expect(lines).toEqual([
      'docker-credential-ecr-ts: debug: docker-credential-pass said: cannot keep ***\n',
      'docker-credential-ecr-ts: debug: docker-credential-pass said: segfault\n',
    ]);
  });

  it('relays a failure text of a few KB whole, and a longer one cut, saying so', async () => {
    const text = (length: number) =>
      failure(
        createHelperStore({
          name: 'pass',
          program: fakeProgram({ get: exited(1, 'e'.repeat(length)) }),
        }).get('ghcr.io'),
      );
    expect((await text(4096)).stdout).toBe(`${'e'.repeat(4096)}\n`);
    expect((await text(500_000)).stdout).toBe(
      `${'e'.repeat(4096)} [cut: docker-credential-pass printed 500000 characters]\n`,
    );
  });

  it('says a helper that got no time was not asked, rather than blaming it', async () => {
    const out = await failure(
      createHelperStore({
        name: 'pass',
        program: fakeProgram({ list: { kind: 'no-time' } }),
      }).list(),
    );
    expect(out).toMatchObject({
      code: 'TIMEOUT',
      stdout:
        "docker-credential-pass was not asked to list: the call's time bound was used up before it; raise ECR_TS_TIMEOUT (seconds)\n",
    });
  });
});
