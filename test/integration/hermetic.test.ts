/**
 * What every test process sees (test/support/global-setup.cjs): a temp HOME, a PATH with no
 * folder of the user's and no installed docker-credential-ecr-ts, nothing pointing at the user's
 * docker, AWS or helper settings. An installed helper (install.sh, the README's first step) made
 * `doctor`'s helper-on-path test fail before this.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '../support/env';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS jest hook
const { hermeticPath } = require('../support/global-setup.cjs') as {
  hermeticPath: (path: string, realHome: string, runDir: string) => string;
};

const NAME = 'docker-credential-ecr-ts';

describe('the environment of the tests', () => {
  it('has a HOME of its own, under the temp folder, and the real one is not it', () => {
    const home = process.env['HOME'] ?? '';
    expect(home.startsWith(tmpdir())).toBe(true);
    expect(process.env['ECR_TS_TEST_REAL_HOME']).not.toBe(home);
    // The run's HOME is shared by the tests running at once: what it holds is not checked here.
  });

  it('finds no docker-credential-ecr-ts on PATH, whatever is installed', () => {
    const found = spawnSync('sh', ['-c', `command -v ${NAME}`], { encoding: 'utf8' });
    expect(found.stdout).toBe('');
    expect(found.status).not.toBe(0);
  });

  it('inherits no AWS, docker or helper setting from whoever runs the tests', () => {
    const names = Object.keys(process.env).filter((name) =>
      /^(AWS_|ECR_TS_(?!TEST_)|DOCKER_|XDG_(CONFIG|DATA|CACHE)_)/.test(name),
    );
    expect(names).toEqual(['AWS_EC2_METADATA_DISABLED']);
  });
});

describe('hermeticPath', () => {
  /** A PATH of folders in a temp root: a home with a bin, a system bin with the helper in it. */
  function layout() {
    const root = tempDir('ecr-ts-path-');
    const home = join(root, 'home');
    const userBin = join(home, '.local', 'bin');
    const system = join(root, 'usr-local-bin');
    const plain = join(root, 'usr-bin');
    for (const dir of [userBin, system, plain]) mkdirSync(dir, { recursive: true });
    for (const dir of [userBin, system]) writeFileSync(join(dir, NAME), '#!/bin/sh\n');
    writeFileSync(join(system, 'docker'), '#!/bin/sh\n');
    const runDir = join(root, 'run');
    mkdirSync(runDir);
    return { home, userBin, system, plain, runDir };
  }

  it("drops the user's folders and hides an installed helper behind links to the rest", () => {
    const { home, userBin, system, plain, runDir } = layout();
    const path = hermeticPath([userBin, system, 'relative/bin', plain].join(':'), home, runDir);
    const folders = path.split(':');
    expect(folders).not.toContain(userBin);
    expect(folders).not.toContain(system);
    expect(folders).toContain(plain);
    const shadow = folders.find((folder) => folder.startsWith(runDir)) ?? '';
    expect(readdirSync(shadow)).toEqual(['docker']);
    expect(readlinkSync(join(shadow, 'docker'))).toBe(join(system, 'docker'));
    expect(folders).not.toContain('relative/bin');
  });

  it('keeps node reachable', () => {
    const { home, plain, runDir } = layout();
    const folders = hermeticPath(plain, home, runDir).split(':');
    expect(folders).toContain(join(process.execPath, '..'));
  });
});
