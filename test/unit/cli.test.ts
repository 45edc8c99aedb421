import type { ActionContext } from '../../src/actions/action-context';
import type { EcrToken, TokenSource } from '../../src/aws/token';
import { runCli } from '../../src/cli';
import type { Wiring } from '../../src/compose';
import { VERSION } from '../../src/product';
import { parseConfig } from '../../src/config/parse-config';
import { HelperError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import type { Registry } from '../../src/registry/parse-registry';
import { createRoutes } from '../../src/routing/routes';
import { routeTableOf } from '../../src/routing/route-table';
import { createOpenStore } from '../../src/stores/open-store';
import { ECR_HOST } from '../support/registry-host';

/** A hand-written fake token source that records which registries were asked for. */
class FakeTokens implements TokenSource {
  readonly asked: Registry[] = [];
  failure: Error | undefined;
  known: Record<string, string> = {};

  async getToken(registry: Registry & { kind: 'private' | 'public' }): Promise<EcrToken> {
    this.asked.push(registry);
    if (this.failure) throw this.failure;
    return { username: 'AWS', password: 's3cr3t-password', expiresAt: Date.now() + 3600_000 };
  }

  async getSecret(): Promise<EcrToken> {
    throw new Error('no secretsManager route in these tests');
  }

  async listKnown(): Promise<Record<string, string>> {
    return this.known;
  }
}

function context(input: string | undefined, tokens: TokenSource, env = {}): ActionContext {
  const call = {
    env,
    logger: silentLogger,
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    progress: { step: 'test' },
  };
  return {
    ...call,
    config: parseConfig(env, '/home/test'),
    readInput: async () => {
      if (input === undefined) throw new Error('stdin must not be read');
      return input;
    },
    tokens,
    // fallback "none": nothing is kept for other registries (the stores have their own tests).
    routes: createRoutes(routeTableOf(null, { kind: 'none' }, [])),
    openStore: createOpenStore({ context: call, home: '/home/test', uid: 0, self: [] }),
    loadSdk: async () => {
      throw new Error('the AWS SDK must not be loaded');
    },
    within: () => {
      throw new Error('only doctor checks narrow the bound');
    },
  };
}

/** A composed call over the hand-made context, unbounded (compose.ts has its own tests). */
function wiring(input: string | undefined, tokens: TokenSource, env = {}): Wiring {
  const made = context(input, tokens, env);
  return { config: made.config, logger: made.logger, run: (work) => work(made) };
}

async function run(args: string[], input?: string, tokens = new FakeTokens(), env = {}) {
  return runCli(args, wiring(input, tokens, env));
}

describe('get', () => {
  it('answers the token of an ECR host with the server URL as received, trimmed', async () => {
    const tokens = new FakeTokens();
    const url = `https://${ECR_HOST}/v2/`;
    const result = await run(['get'], `  ${url}\n`, tokens);
    expect(result).toEqual({
      exitCode: 0,
      stdout: `{"ServerURL":"${url}","Username":"AWS","Secret":"s3cr3t-password"}\n`,
      stderr: '',
    });
    expect(tokens.asked).toMatchObject([{ kind: 'private', region: 'eu-west-1' }]);
  });

  it('answers not-found for a host that is not ECR, without asking for a token', async () => {
    const tokens = new FakeTokens();
    const result = await run(['get'], 'registry-1.docker.io', tokens);
    expect(result).toMatchObject({
      exitCode: 1,
      stdout: 'credentials not found in native keychain\n',
    });
    expect(tokens.asked).toEqual([]);
  });

  it('answers "no credentials server URL" to empty input', async () => {
    const result = await run(['get'], ' \n');
    expect(result).toMatchObject({ exitCode: 1, stdout: 'no credentials server URL\n' });
  });

  it('reports a token failure as one line with exit 1', async () => {
    const tokens = new FakeTokens();
    tokens.failure = new HelperError(
      'ACCESS_DENIED',
      'access denied\ncalling ecr:GetAuthorizationToken',
    );
    const result = await run(['get'], 'public.ecr.aws', tokens);
    expect(result).toMatchObject({
      exitCode: 1,
      stdout: 'access denied calling ecr:GetAuthorizationToken\n',
    });
  });
});

describe('store and erase', () => {
  const ecr = ECR_HOST;

  it('store accepts ECR credentials and persists nothing', async () => {
    const tokens = new FakeTokens();
    const input = JSON.stringify({ ServerURL: ecr, Username: 'AWS', Secret: 'x' });
    expect(await run(['store'], input, tokens)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(tokens.asked).toEqual([]);
  });

  it('store without a username answers "no credentials username"', async () => {
    const input = JSON.stringify({ ServerURL: ecr, Username: '', Secret: 'x' });
    expect(await run(['store'], input)).toMatchObject({
      exitCode: 1,
      stdout: 'no credentials username\n',
    });
  });

  it('store rejects input that is not JSON with one line and no secret', async () => {
    const result = await run(['store'], '{"ServerURL": "x", "Secret": "hunter2"');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^store expects JSON .*\n$/);
    expect(result.stdout).not.toContain('hunter2');
  });

  it('store for a non-ECR host fails with fallback "none", unless AWS_ECR_IGNORE_CREDS_STORAGE', async () => {
    const input = JSON.stringify({ ServerURL: 'docker.io', Username: 'me', Secret: 'x' });
    const refused = await run(['store'], input);
    expect(refused.exitCode).toBe(1);
    // Not the not-found answer: the user must see why docker login failed.
    expect(refused.stdout).toMatch(/^cannot store credentials for "docker.io"/);
    expect(refused.reason?.tellUser).toBe(true);
    const ignored = await run(['store'], input, new FakeTokens(), {
      AWS_ECR_IGNORE_CREDS_STORAGE: 'true',
    });
    expect(ignored.exitCode).toBe(0);
  });

  it('erase succeeds for ECR hosts, and with fallback "none" for others (nothing is kept)', async () => {
    expect(await run(['erase'], `https://${ecr}`)).toMatchObject({ exitCode: 0, stdout: '' });
    expect(await run(['erase'], 'docker.io')).toMatchObject({ exitCode: 0, stdout: '' });
  });
});

describe('list, version and flags', () => {
  it('list answers from the token source and never reads stdin', async () => {
    const tokens = new FakeTokens();
    tokens.known = { [ECR_HOST]: 'AWS' };
    const result = await run(['list'], undefined, tokens);
    expect(result).toEqual({
      exitCode: 0,
      stdout: `{"${ECR_HOST}":"AWS"}\n`,
      stderr: '',
    });
  });

  it.each([['version'], ['--version'], ['-v']])('%s prints one version line', async (flag) => {
    const result = await run([flag]);
    expect(result).toEqual({
      exitCode: 0,
      stdout: `docker-credential-ecr-ts (npm:docker-credential-ecr-ts) ${VERSION}\n`,
      stderr: '',
    });
  });

  it.each([['--help'], ['-h']])('%s prints usage on stdout and exits 0', async (flag) => {
    const result = await run([flag]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: docker-credential-ecr-ts');
  });

  it('an unknown action prints usage and exits 1', async () => {
    const result = await run(['fetch']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe(
      'unknown action "fetch": expected one of get, store, erase, list, version, get-credentials, configure, doctor, help\n',
    );
    expect(result.stderr).toContain('Usage: docker-credential-ecr-ts');
  });

  it('the usage line names every command', async () => {
    const result = await run(['--help']);
    expect(result.stdout).toContain(
      'Usage: docker-credential-ecr-ts <get|store|erase|list|version|get-credentials|configure|doctor|help>',
    );
    for (const command of ['get', 'store', 'erase', 'list', 'version', 'configure', 'doctor']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('help is a command: usage on stdout, exit 0; help COMMAND shows that command', async () => {
    const help = await run(['help']);
    expect(help).toMatchObject({ exitCode: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: docker-credential-ecr-ts');
    const configure = await run(['help', 'configure']);
    expect(configure).toMatchObject({ exitCode: 0, stderr: '' });
    expect(configure.stdout).toContain('Usage: docker-credential-ecr-ts configure');
    expect(configure.stdout).toContain('--remove');
  });

  it('help for a command that does not exist: one line on stderr, exit 1', async () => {
    const result = await run(['help', 'fetch']);
    expect(result).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'docker-credential-ecr-ts: error: no help for "fetch": expected one of get, store, erase, list, version, get-credentials, configure, doctor, help\n',
    });
  });

  it('an unknown flag is one protocol failure: stdout and the log, not commander on stderr', async () => {
    const result = await run(['--debug', 'get'], 'public.ecr.aws');
    expect(result).toEqual({
      exitCode: 1,
      stdout: "unknown option '--debug'\n",
      stderr: '',
      reason: { text: "unknown option '--debug'", tellUser: true },
    });
  });

  it('an unknown flag of configure is told to the person on stderr only', async () => {
    const result = await run(['configure', '--bogus']);
    expect(result).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "docker-credential-ecr-ts: error: unknown option '--bogus'\n",
    });
  });

  it('no action at all prints usage and exits 1', async () => {
    const result = await run([]);
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toContain('Usage:');
  });
});
