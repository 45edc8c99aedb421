// Runs once in jest's own process before it starts the workers, which inherit the environment
// set here: what a test (and every process a test starts, with or without cleanEnv) sees does not
// depend on what is installed on this machine or on who runs the tests.
// - HOME is an empty folder of this run, so nothing a test starts writes into the real home (the
//   Go reference helper, for one, writes ~/.ecr/log/ecr-login.log wherever HOME points), and no
//   docker config, AWS config, helper config or file store of the user's is ever read.
// - PATH keeps the system's folders and node's own, without the user's (folders under the real
//   home: ~/.local/bin, where install.sh puts the helper for a user) and with no installed
//   docker-credential-ecr-ts: a folder that holds one (/usr/local/bin after a root install) is
//   replaced by a copy made of links to everything else in it. A test that wants the helper on
//   PATH adds its own folder.
// - Variables that point the helper, docker or the AWS SDK somewhere are removed.
// global-teardown.cjs removes the run's folder.
const {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  statSync,
  symlinkSync,
} = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { delimiter, dirname, isAbsolute, join, relative } = require('node:path');

const PRODUCT = 'docker-credential-ecr-ts';
/** Read by global-teardown.cjs (same process) to remove the folder. */
const RUN_DIR = 'ECR_TS_TEST_RUN_DIR';
/** Set to the real home folder, for the few tests that must name it (never to write there). */
const REAL_HOME = 'ECR_TS_TEST_REAL_HOME';

/** Variables that would point a helper, docker or the SDK at the user's own files or accounts. */
const DROPPED = [
  /^AWS_/,
  /^ECR_TS_/,
  /^DOCKER_/,
  /^XDG_(CONFIG|DATA|CACHE|STATE|RUNTIME)_/,
  /^(PASSWORD_STORE_DIR|GNUPGHOME)$/,
];

function isFolder(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function realOrSelf(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** True when `path` is `folder` or inside it. */
function within(path, folder) {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A folder of links to every entry of `folder` except those named in `hidden`. */
function shadowOf(folder, hidden, runDir, index) {
  const shadow = join(runDir, 'path', String(index));
  mkdirSync(shadow, { recursive: true });
  for (const name of readdirSync(folder)) {
    if (!hidden.includes(name)) symlinkSync(join(folder, name), join(shadow, name));
  }
  return shadow;
}

/** The PATH every test process gets (see the top of this file). */
function hermeticPath(path, realHome, runDir) {
  const home = realHome ? realOrSelf(realHome) : null;
  const node = dirname(process.execPath);
  const folders = [];
  const seen = new Set();
  const add = (folder) => {
    if (!seen.has(folder)) {
      seen.add(folder);
      folders.push(folder);
    }
  };
  let index = 0;
  let nodeKept = false;
  const visited = new Set();
  const keep = (folder) => {
    visited.add(folder);
    if (readdirSync(folder).includes(PRODUCT)) add(shadowOf(folder, [PRODUCT], runDir, index++));
    else add(folder);
    if (realOrSelf(folder) === realOrSelf(node)) nodeKept = true;
  };
  for (const folder of path.split(delimiter)) {
    if (!isAbsolute(folder) || !isFolder(folder) || visited.has(folder)) continue;
    if (home && within(realOrSelf(folder), home) && folder !== node) continue;
    keep(folder);
  }
  // Node (and npm beside it) must stay reachable: `#!/usr/bin/env node` in the npm bin.
  if (!nodeKept) keep(node);
  return folders.length > 0 ? folders.join(delimiter) : '/usr/bin:/bin';
}

module.exports = async function globalSetup() {
  // Twice in one process (jest --watch, or a projects config): once is enough.
  if (process.env[RUN_DIR]) return;
  const runDir = mkdtempSync(join(tmpdir(), 'ecr-ts-jest-'));
  const realHome = process.env['HOME'] || homedir();
  const home = join(runDir, 'home');
  mkdirSync(home, { mode: 0o755 });
  const path = hermeticPath(process.env['PATH'] ?? '', realHome, runDir);
  for (const name of Object.keys(process.env)) {
    if (DROPPED.some((pattern) => pattern.test(name))) Reflect.deleteProperty(process.env, name);
  }
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  process.env['HOME'] = home;
  process.env['PATH'] = path;
  process.env[RUN_DIR] = runDir;
  process.env[REAL_HOME] = realHome;
};

module.exports.hermeticPath = hermeticPath;
