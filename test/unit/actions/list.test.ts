/**
 * `list` over its sources, with hand-written stores and tokens and a docker config in a temp
 * folder: what each source adds, and that one failing source is a warning, never a failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext } from '../../../src/actions/action-context';
import { listAction } from '../../../src/actions/list';
import type { EcrToken, TokenSource } from '../../../src/aws/token';
import { parseConfig } from '../../../src/config/parse-config';
import { parseConfigFile } from '../../../src/config/parse-config-file';
import { HelperError } from '../../../src/errors';
import { createLogger } from '../../../src/log';
import { DEFAULT_ROUTE_TABLE, type RouteTable } from '../../../src/routing/route-table';
import { createRoutes } from '../../../src/routing/routes';
import type { CredentialStore, StoreName } from '../../../src/stores/credential-store';
import { tempDir } from '../../support/env';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ECR_WEST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const ECR_CN = '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn';

/** Tokens that are only ever listed: `get` must not happen in `list`. */
function cachedTokens(known: Record<string, string>): TokenSource {
  const never = (): Promise<EcrToken> => Promise.reject(new Error('list must not fetch'));
  return { getToken: never, getSecret: never, listKnown: async () => ({ ...known }) };
}

interface ListRun {
  readonly stdout: string;
  readonly listed: Record<string, string>;
  readonly warnings: string[];
}

async function list(options: {
  table?: RouteTable;
  dockerConfig?: string | object;
  /** What each store's list answers (by kind or helper name), or an error it throws. */
  stores?: Record<string, Record<string, string> | Error>;
  cached?: Record<string, string>;
  env?: Record<string, string>;
  /** A user without a home folder. */
  homeless?: boolean;
}): Promise<ListRun> {
  const home = tempDir('ecr-ts-list-');
  if (options.dockerConfig !== undefined) {
    mkdirSync(join(home, '.docker'));
    const text =
      typeof options.dockerConfig === 'string'
        ? options.dockerConfig
        : JSON.stringify(options.dockerConfig);
    writeFileSync(join(home, '.docker', 'config.json'), text);
  }
  const warnings: string[] = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => {
      if (line.includes(' warn: ')) warnings.push(line.trim());
    },
  });
  const table = options.table ?? DEFAULT_ROUTE_TABLE;
  const openStore = (name: StoreName): CredentialStore => {
    const answer = options.stores?.[name.kind === 'helper' ? name.name : name.kind] ?? {};
    const fail = (): never => {
      throw new Error('not in list');
    };
    return {
      label: name.kind === 'helper' ? `docker-credential-${name.name}` : `the ${name.kind} store`,
      get: fail,
      store: fail,
      erase: fail,
      list: async () => {
        if (answer instanceof Error) throw answer;
        return { ...answer };
      },
    };
  };
  const context: ActionContext = {
    env: options.env ?? {},
    config: parseConfig({}, options.homeless ? null : home, table),
    logger,
    readInput: () => Promise.reject(new Error('list must not read stdin')),
    tokens: cachedTokens(options.cached ?? {}),
    openStore,
    routes: createRoutes(table),
    loadSdk: () => Promise.reject(new Error('list must not load the AWS SDK')),
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    progress: { step: 'test' },
    within: () => {
      throw new Error('only doctor checks narrow the bound');
    },
  };
  const stdout = await listAction(context);
  return { stdout, listed: JSON.parse(stdout) as Record<string, string>, warnings };
}

const configFile = (config: object): RouteTable =>
  parseConfigFile(JSON.stringify(config), '/c/config.json');

describe('list: registries the configuration names, on a cold cache', () => {
  it('names nothing when nothing is configured or cached', async () => {
    const run = await list({});
    expect(run.stdout).toBe('{}\n');
    expect(run.warnings).toEqual([]);
  });

  it('names the ECR hosts of credHelpers entries that run this helper, with user AWS', async () => {
    const run = await list({
      dockerConfig: {
        credHelpers: { [ECR]: 'ecr-ts', [ECR_WEST]: 'ecr-login', 'gcr.io': 'gcloud' },
      },
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS' });
  });

  it('names the secret-less auths markers when this helper is the credsStore', async () => {
    const run = await list({
      dockerConfig: {
        credsStore: 'ecr-ts',
        auths: {
          [ECR]: {},
          [`https://${ECR_CN}`]: {},
          // A plaintext login docker answers itself, and one sent to another helper.
          [ECR_WEST]: { auth: Buffer.from('AWS:pw').toString('base64') },
          'public.ecr.aws': {},
        },
        credHelpers: { 'public.ecr.aws': 'ecr-login' },
      },
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS', [`https://${ECR_CN}`]: 'AWS' });
  });

  it('ignores auths markers that belong to another credsStore', async () => {
    const run = await list({ dockerConfig: { credsStore: 'desktop', auths: { [ECR]: {} } } });
    expect(run.listed).toEqual({});
  });

  it('names the literal keys of registries that get answers, with the route deciding', async () => {
    const table = configFile({
      registries: {
        [ECR]: {},
        [ECR_WEST]: { profile: 'prod' },
        'mirror.example.com:5000': { ecr: ECR },
        'index.docker.io': { secretsManager: 'hub-login' },
        'quay.io': { anonymous: true },
        'git.corp.example': { helper: 'gcloud' },
        '*.dkr.ecr.eu-west-1.amazonaws.com': { profile: 'eu' },
      },
    });
    const run = await list({ table });
    expect(run.listed).toEqual({
      [ECR]: 'AWS',
      [ECR_WEST]: 'AWS',
      'mirror.example.com:5000': 'AWS',
      // The user name is in the secret: known once `get` has read it.
      'index.docker.io': '',
    });
  });

  it('an entry that makes a credHelpers host anonymous keeps it out of the list', async () => {
    const table = configFile({ registries: { [ECR]: { anonymous: true } } });
    const run = await list({ table, dockerConfig: { credHelpers: { [ECR]: 'ecr-ts' } } });
    expect(run.listed).toEqual({});
  });

  it('DOCKER_CONFIG names the folder, as for docker', async () => {
    const dir = tempDir('ecr-ts-docker-config-');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { [ECR]: 'ecr-ts' } }));
    const run = await list({
      env: { DOCKER_CONFIG: dir },
      dockerConfig: { credHelpers: { [ECR_WEST]: 'ecr-ts' } },
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS' });
  });

  it('a cached token and a store login are listed beside the configured hosts', async () => {
    const run = await list({
      dockerConfig: { credHelpers: { [ECR]: 'ecr-ts' } },
      stores: { file: { 'ghcr.io': 'octocat' } },
      cached: { [ECR_WEST]: 'AWS' },
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS', [ECR_WEST]: 'AWS', 'ghcr.io': 'octocat' });
  });
});

describe('list: one failing source is a warning, never a failure', () => {
  it.each([
    ['not JSON', '{"credHelpers": {', /not valid JSON at line 1, column 18/],
    ['not an object', '[1]', /not a JSON object/],
    ['credHelpers of the wrong type', '{"credHelpers": []}', /credHelpers: not an object/],
  ])('a docker config that is %s: a warning, and the rest listed', async (_, text, reason) => {
    const run = await list({
      dockerConfig: text,
      table: configFile({ registries: { [ECR]: {} } }),
      stores: { file: { 'ghcr.io': 'octocat' } },
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS', 'ghcr.io': 'octocat' });
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/list: skipping the docker config: .*config\.json: /);
    expect(run.warnings[0]).toMatch(reason);
  });

  it('a warning about a broken docker config never quotes its text (it may hold a login)', async () => {
    const auth = Buffer.from('robot:hunter2-secret').toString('base64');
    const run = await list({ dockerConfig: `{"auths": {"x": {"auth": "${auth}"}}, oops}` });
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings.join('')).not.toContain(auth);
  });

  it('a docker config that is a folder: a warning', async () => {
    const home = tempDir('ecr-ts-docker-folder-');
    mkdirSync(join(home, 'config.json'));
    const run = await list({
      env: { DOCKER_CONFIG: home },
      table: configFile({ registries: { [ECR]: {} } }),
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS' });
    expect(run.warnings[0]).toMatch(/cannot read .*config\.json \(not a regular file\)/);
  });

  it('a failing store: a warning, and the configured hosts still listed', async () => {
    const run = await list({
      dockerConfig: { credsStore: 'ecr-ts', auths: { [ECR]: {} } },
      stores: { file: new HelperError('STORE', 'the file store is damaged') },
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS' });
    expect(run.warnings).toEqual([
      expect.stringContaining('list: skipping the file store: the file store is damaged'),
    ]);
  });

  it('a pattern that gives a non-ECR credHelpers host an AWS identity: that host skipped', async () => {
    const run = await list({
      dockerConfig: { credHelpers: { 'x.corp.example': 'ecr-ts', [ECR]: 'ecr-ts' } },
      table: configFile({ registries: { '*.corp.example': { profile: 'corp' } } }),
    });
    expect(run.listed).toEqual({ [ECR]: 'AWS' });
    expect(run.warnings).toEqual([
      expect.stringMatching(/list: skipping "x\.corp\.example": .*applies to ECR hosts only/),
    ]);
  });

  it('no home folder and no DOCKER_CONFIG: no docker config, no warning', async () => {
    const table = configFile({ registries: { [ECR]: {} } });
    const run = await list({ table, homeless: true, dockerConfig: '{oops' });
    expect(run.listed).toEqual({ [ECR]: 'AWS' });
    expect(run.warnings).toEqual([]);
  });
});
