// `npm run build:packages`: from the release executables (`npm run build:release`, dist/release/)
// makes, into that same folder,
//   - docker-credential-ecr-ts_<version>_amd64.deb and _arm64.deb (dpkg-deb),
//   - docker-credential-ecr-ts-<version>-1.x86_64.rpm and .aarch64.rpm (rpmbuild),
//   - docker-credential-ecr-ts.rb, a Homebrew formula for the two macOS files,
// then writes SHA256SUMS again over everything (and signs it: scripts/release-files.mjs).
// Each package holds the executable as /usr/bin/docker-credential-ecr-ts, the man page, and the
// README, LICENSE and changelog under /usr/share/doc/docker-credential-ecr-ts/. It depends on the C
// library only (the executable carries its runtime, TLS and CA certificates). No maintainer script:
// installing a package never touches anyone's docker config; `configure` is for each user to run.
// Settings (environment):
//   ECR_TS_RELEASE_URL   where the release files will be downloaded from (the formula's URLs);
//                        without it the formula points at this folder (file://), for a local try
//   ECR_TS_MAINTAINER    "Name <email>" for the packages' metadata
//   ECR_TS_PACKAGE_COMPRESSION  gzip (default) or xz. Measured on the 115 MB amd64 executable on
//                        a busy 2-core machine: gzip about 5 s and 55 MB a package; xz (dpkg's
//                        default level) about 2 minutes and 42 MB. Every dpkg and rpm reads both.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildMan, MAN_PAGE } from './build-man.mjs';
import { finishRelease } from './release-files.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'docker-credential-ecr-ts';
export const RELEASE_DIR = join(ROOT, 'dist', 'release');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const VERSION = pkg.version;
const MAINTAINER =
  process.env.ECR_TS_MAINTAINER ?? `${NAME} maintainers <maintainers@${NAME}.invalid>`;
const SUMMARY = 'Docker credential helper for Amazon ECR and ECR Public';
const DESCRIPTION = [
  'Docker clients (the docker CLI, docker-py, dockerode, skopeo, podman) run',
  'it to get registry credentials: for Amazon ECR it answers a token obtained',
  'with the AWS credentials the AWS SDK finds (environment, profiles with SSO,',
  'web identity, ECS and EKS container credentials, EC2 instance profile), so',
  'no docker login is needed. As credsStore it can answer for every registry.',
  'Each user runs `docker-credential-ecr-ts configure` to use it.',
];
/** Lowest glibc the Linux executables need (their highest GLIBC_ symbol version). */
const GLIBC = '2.17';

/** Debian and RPM architecture names of each Linux release file. */
export const PACKAGES = [
  { suffix: 'linux-x64', deb: 'amd64', rpm: 'x86_64' },
  { suffix: 'linux-arm64', deb: 'arm64', rpm: 'aarch64' },
];
export const debName = (arch) => `${NAME}_${VERSION}_${arch}.deb`;
export const rpmName = (arch) => `${NAME}-${VERSION}-1.${arch}.rpm`;
export const FORMULA = `${NAME}.rb`;

const COMPRESSION = process.env.ECR_TS_PACKAGE_COMPRESSION ?? 'gzip';
if (!['gzip', 'xz'].includes(COMPRESSION)) {
  throw new Error(`ECR_TS_PACKAGE_COMPRESSION=${COMPRESSION}: expected gzip or xz`);
}

const gzip = (text) => gzipSync(text, { level: 9 }); // no name, mtime 0: reproducible
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The file tree both package formats install, under `root`. */
function stageTree(root, executable) {
  const doc = join(root, 'usr', 'share', 'doc', NAME);
  const man = join(root, 'usr', 'share', 'man', 'man1');
  for (const dir of [join(root, 'usr', 'bin'), doc, man]) mkdirSync(dir, { recursive: true });
  copyFileSync(executable, join(root, 'usr', 'bin', NAME));
  chmodSync(join(root, 'usr', 'bin', NAME), 0o755);
  writeFileSync(join(man, `${NAME}.1.gz`), gzip(readFileSync(MAN_PAGE)));
  writeFileSync(join(doc, 'README.md.gz'), gzip(readFileSync(join(ROOT, 'README.md'))));
  copyFileSync(join(ROOT, 'LICENSE'), join(doc, 'LICENSE'));
  writeFileSync(join(doc, 'CHANGELOG.md.gz'), gzip(readFileSync(join(ROOT, 'CHANGELOG.md'))));
  return { doc };
}

/** Debian's changelog (its own format, which dpkg and lintian read) for this version. */
function debianChangelog(date) {
  return [
    `${NAME} (${VERSION}) unstable; urgency=medium`,
    '',
    `  * Release ${VERSION}: see CHANGELOG.md.gz beside this file.`,
    '',
    ` -- ${MAINTAINER}  ${date.toUTCString().replace('GMT', '+0000')}`,
    '',
  ].join('\n');
}

/** Debian's machine-readable copyright file. */
function debianCopyright() {
  return [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    `Upstream-Name: ${NAME}`,
    '',
    'Files: *',
    `Copyright: ${new Date().getUTCFullYear()} The ${NAME} authors`,
    'License: Apache-2.0',
    '',
    'License: Apache-2.0',
    ' On Debian systems the full text of the Apache License, Version 2.0 is in',
    ' /usr/share/common-licenses/Apache-2.0, and the package has it as',
    ` /usr/share/doc/${NAME}/LICENSE.`,
    '',
  ].join('\n');
}

/** Every regular file under `dir`, relative, sorted. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
}

/**
 * Lintian's errors that are what this executable is, each with why (lintian prints the comment).
 * Measured: `strip` on it leaves a file that answers `error: Script not found "version"`.
 */
const LINTIAN_OVERRIDES = [
  '# Bun compiles the program into the executable as a section of its own: stripping removes it.',
  `unstripped-binary-or-object [usr/bin/${NAME}]`,
  '# The runtime (Bun) is linked statically with the libraries it uses; there is nothing to unbundle.',
  `embedded-library * [usr/bin/${NAME}]`,
  '',
].join('\n');

function buildDeb({ work, executable, arch, date }) {
  const root = join(work, `deb-${arch}`);
  const { doc } = stageTree(root, executable);
  writeFileSync(join(doc, 'changelog.gz'), gzip(debianChangelog(date)));
  writeFileSync(join(doc, 'copyright'), debianCopyright());
  const overrides = join(root, 'usr', 'share', 'lintian', 'overrides');
  mkdirSync(overrides, { recursive: true });
  writeFileSync(join(overrides, NAME), LINTIAN_OVERRIDES);
  const payload = filesUnder(root);
  const installedKiB = Math.ceil(
    payload.reduce((sum, file) => sum + statSync(join(root, file)).size, 0) / 1024,
  );
  mkdirSync(join(root, 'DEBIAN'));
  writeFileSync(
    join(root, 'DEBIAN', 'md5sums'),
    payload
      .map(
        (file) =>
          `${createHash('md5')
            .update(readFileSync(join(root, file)))
            .digest('hex')}  ${file}\n`,
      )
      .join(''),
  );
  writeFileSync(
    join(root, 'DEBIAN', 'control'),
    [
      `Package: ${NAME}`,
      `Version: ${VERSION}`,
      `Architecture: ${arch}`,
      `Maintainer: ${MAINTAINER}`,
      `Installed-Size: ${installedKiB}`,
      `Depends: libc6 (>= ${GLIBC})`,
      'Section: admin',
      'Priority: optional',
      `Description: ${SUMMARY}`,
      ...DESCRIPTION.map((line) => ` ${line}`),
      '',
    ].join('\n'),
  );
  const out = join(RELEASE_DIR, debName(arch));
  execFileSync(
    'dpkg-deb',
    ['--root-owner-group', `-Z${COMPRESSION}`, '--build', root, `${out}.tmp`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(date / 1000)) },
    },
  );
  renameSync(`${out}.tmp`, out);
  return out;
}

function buildRpm({ work, executable, arch, date }) {
  const root = join(work, `rpm-${arch}`);
  stageTree(root, executable);
  const top = join(work, `rpmbuild-${arch}`);
  for (const dir of ['BUILD', 'RPMS', 'SOURCES', 'SPECS', 'SRPMS', 'BUILDROOT']) {
    mkdirSync(join(top, dir), { recursive: true });
  }
  const doc = `%{_defaultdocdir}/${NAME}`;
  const spec = [
    `Name: ${NAME}`,
    `Version: ${VERSION}`,
    'Release: 1',
    `Summary: ${SUMMARY}`,
    'License: Apache-2.0',
    `Packager: ${MAINTAINER}`,
    // The executable is built already: nothing to compile, strip or split into debug info
    // (stripping would cut the program Bun embeds in it).
    'AutoReqProv: no',
    `Requires: glibc >= ${GLIBC}`,
    '%global debug_package %{nil}',
    '%global __os_install_post %{nil}',
    '%global _build_id_links none',
    '',
    '%description',
    ...DESCRIPTION,
    '',
    '%install',
    `cp -a ${root}/. %{buildroot}/`,
    '',
    '%files',
    `%attr(0755, root, root) %{_bindir}/${NAME}`,
    `%{_mandir}/man1/${NAME}.1.gz`,
    `%dir ${doc}`,
    `%doc ${doc}/README.md.gz`,
    `%doc ${doc}/CHANGELOG.md.gz`,
    `%license ${doc}/LICENSE`,
    '',
    '%changelog',
    `* ${date.toUTCString().slice(0, 16).replace(',', '')} ${MAINTAINER} - ${VERSION}-1`,
    `- Release ${VERSION}: see CHANGELOG.md`,
    '',
  ].join('\n');
  const specFile = join(top, 'SPECS', `${NAME}.spec`);
  writeFileSync(specFile, spec);
  execFileSync(
    'rpmbuild',
    [
      '-bb',
      '--target',
      `${arch}-linux`,
      '--define',
      `_topdir ${top}`,
      '--define',
      `_binary_payload ${COMPRESSION === 'xz' ? 'w6T.xzdio' : 'w6.gzdio'}`,
      '--define',
      `_buildhost ${NAME}`,
      '--define',
      'use_source_date_epoch_as_buildtime 1',
      '--nodeps',
      specFile,
    ],
    {
      // rpmbuild narrates every step on stdout, and its shell trace on stderr: kept for a failure.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(date / 1000)) },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const built = join(top, 'RPMS', arch, rpmName(arch));
  const out = join(RELEASE_DIR, rpmName(arch));
  copyFileSync(built, `${out}.tmp`);
  renameSync(`${out}.tmp`, out);
  return out;
}

/** A Homebrew formula for the macOS release files, with their URLs and digests. */
function buildFormula() {
  const base = (process.env.ECR_TS_RELEASE_URL ?? pathToFileURL(RELEASE_DIR).href).replace(
    /\/+$/,
    '',
  );
  const file = (arch) => `${NAME}-darwin-${arch}`;
  const entry = (arch) =>
    [
      `    url "${base}/${file(arch)}"`,
      `    sha256 "${sha256(join(RELEASE_DIR, file(arch)))}"`,
    ].join('\n');
  const formula = [
    '# Generated by scripts/build-packages.mjs from the release folder; do not edit.',
    'class DockerCredentialEcrTs < Formula',
    `  desc "${SUMMARY}"`,
    `  version "${VERSION}"`,
    '  license "Apache-2.0"',
    '',
    '  depends_on :macos',
    '',
    '  on_arm do',
    entry('arm64'),
    '  end',
    '  on_intel do',
    entry('x64'),
    '  end',
    '',
    '  def install',
    `    bin.install Dir["${NAME}-darwin-*"].first => "${NAME}"`,
    '  end',
    '',
    '  test do',
    `    assert_match "${NAME} (npm:${NAME}) #{version}", shell_output("#{bin}/${NAME} version")`,
    '  end',
    'end',
    '',
  ].join('\n');
  const out = join(RELEASE_DIR, FORMULA);
  writeFileSync(out, formula);
  return { out, base };
}

/** Makes every package into dist/release/ and lists them in SHA256SUMS. */
export function buildPackages({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const missing = [...PACKAGES.map(({ suffix }) => suffix), 'darwin-x64', 'darwin-arm64']
    .map((suffix) => join(RELEASE_DIR, `${NAME}-${suffix}`))
    .filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing: run \`npm run build:release\` first`);
  }
  buildMan();
  const date = new Date(
    process.env.SOURCE_DATE_EPOCH
      ? Number(process.env.SOURCE_DATE_EPOCH) * 1000
      : statSync(join(RELEASE_DIR, `${NAME}-linux-x64`)).mtimeMs,
  );
  date.setUTCMilliseconds(0);
  const work = mkdtempSync(join(RELEASE_DIR, '.packages-'));
  try {
    for (const { suffix, deb, rpm } of PACKAGES) {
      const executable = join(RELEASE_DIR, `${NAME}-${suffix}`);
      for (const out of [
        buildDeb({ work, executable, arch: deb, date }),
        buildRpm({ work, executable, arch: rpm, date }),
      ]) {
        log(`${relative(ROOT, out)}  ${(statSync(out).size / 1e6).toFixed(1)} MB`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const { out, base } = buildFormula();
  log(`${relative(ROOT, out)}  (URLs under ${base})`);
  if (!process.env.ECR_TS_RELEASE_URL) {
    log('  set ECR_TS_RELEASE_URL to the URL the release files are published at');
  }
  finishRelease(RELEASE_DIR, { log });
  return RELEASE_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildPackages();
