import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { runHelper } from '../support/run-helper';
import { ECR_HOST as PRIVATE } from '../support/registry-host';

scrubProcessEnv();

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);
const NAME = 'docker-credential-ecr-ts';

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

describe('the npm package (npm pack, then npm i -g into a temp prefix)', () => {
  let work: string;
  let tarball: string;
  let packed: PackResult;
  // npm's cache and logs in the temp folder too: the package has no runtime dependency, so an
  // offline install needs nothing from a cache, and nothing is written into the user's ~/.npm.
  const npmEnv = (): Record<string, string> => ({
    ...cleanEnv(work),
    npm_config_cache: join(work, '.npm-cache'),
    npm_config_update_notifier: 'false',
  });

  beforeAll(async () => {
    work = tempDir('ecr-ts-pack-');
    // prepack would rebuild dist/*.cjs in place while other suites run the helper from it; the
    // suite runs after `npm run build`, so pack those files and emit only the types here.
    await run(process.execPath, [join(ROOT, 'scripts', 'build-types.mjs')], { cwd: ROOT });
    const { stdout } = await run(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
      { cwd: ROOT, env: npmEnv(), maxBuffer: 16 * 1024 * 1024 },
    );
    packed = (JSON.parse(stdout) as PackResult[])[0] as PackResult;
    tarball = join(work, packed.filename);
  }, 120_000);

  it('ships the bundles, the shim, the types, the man page, install.sh, LICENSE and CHANGELOG, not sources or the 100 MB executable', () => {
    const paths = packed.files.map((file) => file.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/docker-credential-ecr-ts',
        'dist/aws-sdk.cjs',
        'dist/index.cjs',
        'dist/main.cjs',
        'dist/types/index.d.ts',
        'dist/man/docker-credential-ecr-ts.1',
        'install.sh',
        'package.json',
        'LICENSE',
        'CHANGELOG.md',
        'README.md',
      ]),
    );
    expect(paths.filter((path) => /^(src|test|scripts|bench)\//.test(path))).toEqual([]);
    expect(paths).not.toContain(`dist/${NAME}`);
    expect(packed.size).toBeLessThan(2 * 1024 * 1024);
  });

  it('needs no runtime dependency: the bundles require only Node built-ins', () => {
    const bundles = readdirSync(join(ROOT, 'dist')).filter((file) => file.endsWith('.cjs'));
    expect(bundles).toEqual(
      expect.arrayContaining(['main.cjs', 'aws-sdk.cjs', 'index.cjs', 'cli.cjs']),
    );
    const required = bundles.flatMap((file) =>
      // `[require("` only occurs inside an SDK error message that quotes a call.
      [
        ...readFileSync(join(ROOT, 'dist', file), 'utf8').matchAll(
          /(?<!\[)\brequire\("([^"]+)"\)/g,
        ),
      ].map((match) => match[1] ?? ''),
    );
    const external = required.filter(
      (name) =>
        // Chunks split off main.cjs are files of the package itself, and must exist.
        !(/^\.\/[a-z-]+\.cjs$/.test(name) && bundles.includes(name.slice(2))) &&
        !name.startsWith('node:') &&
        !builtinModules.includes(name),
    );
    expect(external).toEqual([]);
  });

  it('installs with npm i -g (no runtime dependency to fetch) and its bin answers get', async () => {
    const prefix = join(work, 'global');
    await run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball],
      { env: npmEnv() },
    );
    const bin = join(prefix, 'bin', NAME);
    // npm links the man page (package.json "man") where man looks for it.
    expect(readFileSync(join(prefix, 'share', 'man', 'man1', `${NAME}.1`), 'utf8')).toContain(
      '.TH "DOCKER\\-CREDENTIAL\\-ECR\\-TS" "1"',
    );
    const home = join(work, 'home');
    mkdirSync(home);
    const version = await runHelper({ bin, args: ['version'], env: cleanEnv(home) });
    expect(version.stdout).toMatch(/^docker-credential-ecr-ts \(npm:docker-credential-ecr-ts\) /);

    // A cache miss loads dist/aws-sdk.cjs from the installed package and signs a real request.
    const keys = new KeyStore();
    const key = keys.issue();
    const ecr = await startFakeEcr({ keys });
    try {
      const result = await runHelper({
        bin,
        args: ['get'],
        input: PRIVATE,
        env: cleanEnv(home, {
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_SESSION_TOKEN: key.sessionToken ?? '',
          AWS_ENDPOINT_URL_ECR: ecr.url,
        }),
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        Username: 'AWS',
        Secret: ecr.passwords[0],
      });
    } finally {
      await ecr.close();
    }
  }, 120_000);

  it('works as a library from require, import and TypeScript (node16 resolution)', async () => {
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}');
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: project,
      env: npmEnv(),
    });
    const env = cleanEnv(join(work, 'project'));
    const cjs = await run(
      process.execPath,
      ['-e', `require('${NAME}').getAuthConfig('node:24').then((a) => console.log(typeof a))`],
      { cwd: project, env },
    );
    expect(cjs.stdout.trim()).toBe('undefined');
    const esm = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { getAuthConfig, isHelperError } from '${NAME}'; console.log(typeof getAuthConfig, typeof isHelperError)`,
      ],
      { cwd: project, env },
    );
    expect(esm.stdout.trim()).toBe('function function');

    writeFileSync(
      join(project, 'use.ts'),
      [
        `import { getAuthConfig, type AuthConfig } from '${NAME}';`,
        `const auth: Promise<AuthConfig | undefined> = getAuthConfig('${PRIVATE}/app:1');`,
        `// @ts-expect-error the option is a number of milliseconds`,
        `getAuthConfig('x', { timeoutMs: '5' });`,
        'export { auth };',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          noEmit: true,
          // Our declarations are still read (the @ts-expect-error proves it); @types/node is not re-checked.
          skipLibCheck: true,
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(
      run(process.execPath, [tsc, '-p', project], { cwd: project }),
    ).resolves.toBeDefined();
  }, 120_000);
});
