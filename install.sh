#!/usr/bin/env bash
# Installs docker-credential-ecr-ts (the executable) into a bin folder on PATH and, optionally,
# wires it into the docker config. Idempotent; upgrades in place; never leaves a half-written file.
#
#   ./install.sh [--prefix DIR] [--from FILE | --release DIR [--platform P] [--key FILE]]
#                [--configure [REGISTRY...]] [--store]
#   ./install.sh [--prefix DIR] --uninstall [--keep-config]
#
# Without --prefix: /usr/local/bin as root, ~/.local/bin otherwise. The executable: --from FILE;
# else this machine's file (docker-credential-ecr-ts-<os>-<arch>[-musl], or --platform) of the
# release folder that holds this script (or --release DIR), checked against its SHA256SUMS (and
# SHA256SUMS against its signature SHA256SUMS.asc with gpg, given --key or a key in the folder);
# else, in the source tree, dist/docker-credential-ecr-ts, built first when missing or older than
# the sources. --uninstall removes the executable if it is this program, after taking it out of
# the docker config with every login kept (configure --remove); --keep-config leaves it as it is.
set -euo pipefail

NAME=docker-credential-ecr-ts
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
  echo "install.sh: error: $*" >&2
  exit 1
}
say() { echo "install.sh: $*" >&2; }

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

prefix=""
from=""
release=""
platform=""
key=""
uninstall=false
keep_config=false
configure=false
store=false
registries=()
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix)
      [ $# -ge 2 ] && [ -n "$2" ] || die "--prefix needs a folder"
      prefix=$2
      shift 2
      ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --from)
      [ $# -ge 2 ] && [ -n "$2" ] || die "--from needs the path of an executable"
      from=$2
      shift 2
      ;;
    --from=*) from=${1#--from=}; shift ;;
    --release)
      [ $# -ge 2 ] && [ -n "$2" ] || die "--release needs the folder of the release files"
      release=$2
      shift 2
      ;;
    --release=*) release=${1#--release=}; shift ;;
    --platform)
      [ $# -ge 2 ] && [ -n "$2" ] || die "--platform needs a name such as linux-arm64-musl"
      platform=$2
      shift 2
      ;;
    --platform=*) platform=${1#--platform=}; shift ;;
    --key)
      [ $# -ge 2 ] && [ -n "$2" ] || die "--key needs the file of the release's public key"
      key=$2
      shift 2
      ;;
    --key=*) key=${1#--key=}; shift ;;
    --uninstall) uninstall=true; shift ;;
    --keep-config) keep_config=true; shift ;;
    --store) store=true; shift ;;
    --configure)
      configure=true
      shift
      # Every following word that is not an option is a registry.
      while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do
        registries+=("$1")
        shift
      done
      ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

if [ -n "$prefix" ]; then
  bindir="$prefix/bin"
elif [ "$(id -u)" -eq 0 ]; then
  bindir=/usr/local/bin
else
  [ -n "${HOME:-}" ] || die "HOME is not set: pass --prefix DIR"
  bindir="$HOME/.local/bin"
fi
dest="$bindir/$NAME"

# The line `FILE version` prints, when FILE is this program; nothing (status 1) otherwise.
# Bounded: whatever else sits under this name must not hang the install.
version_line() {
  local out
  if command -v timeout >/dev/null 2>&1; then
    out=$(timeout 10 "$1" version 2>/dev/null </dev/null) || return 1
  else
    out=$("$1" version 2>/dev/null </dev/null) || return 1
  fi
  case "$out" in "$NAME ("*") "[0-9]*) echo "$out" ;; *) return 1 ;; esac
}
version_of() { version_line "$1" | sed 's/.* //'; }
runs() { version_line "$1" >/dev/null; }

# npm's link to the npm package (npm install -g): npm's to remove, not ours.
npm_link() {
  [ -L "$1" ] && case "$(readlink "$1")" in *node_modules/$NAME/*) true ;; *) false ;; esac
}

if [ -d "$dest" ]; then
  die "$dest is a folder, not the executable; nothing $($uninstall && echo removed || echo installed)"
fi
if npm_link "$dest"; then
  die "$dest is npm's link to the npm package: use npm uninstall -g $NAME (or another --prefix); nothing $($uninstall && echo removed || echo installed)"
fi

if $uninstall; then
  $configure && die "--uninstall and --configure do not go together"
  if [ ! -e "$dest" ] && [ ! -L "$dest" ]; then
    say "$dest is not installed; nothing to do"
    exit 0
  fi
  installed=$(version_line "$dest") ||
    die "$dest is not $NAME (it does not answer 'version' as $NAME); left it in place"
  if ! $keep_config; then
    # The helper takes its own entries out of the docker config (backup first); a credsStore of
    # ours is undone as configure --unstore does it, the logins back where docker looks. It says
    # what it moved and what it left. Without it docker would keep calling a helper that is gone.
    "$dest" configure --remove </dev/null | sed 's/^/install.sh: /' >&2 ||
      die "configure --remove failed (see above); nothing removed: fix that, or pass --keep-config to remove only the executable"
  fi
  rm -f "$dest" || die "cannot remove $dest (permissions?)"
  if $keep_config; then
    say "removed $dest ($installed); entries in your docker config.json are left as they are"
  else
    say "removed $dest ($installed)"
  fi
  exit 0
fi
$keep_config && die "--keep-config goes with --uninstall"

if $store && ! $configure; then configure=true; fi
if $configure && [ ${#registries[@]} -eq 0 ] && ! $store; then
  die "--configure needs at least one ECR registry (or add --store to serve every registry)"
fi

# This machine as the release files name it: <os>-<arch>, and -musl for a musl libc (Alpine).
detect_platform() {
  local os arch libc=""
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) os=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
  esac
  # glibc answers GNU_LIBC_VERSION; musl does not, and has its loader as /lib/ld-musl-<arch>.so.1.
  if [ "$os" = linux ] && ! getconf GNU_LIBC_VERSION >/dev/null 2>&1 &&
    ls /lib/ld-musl-*.so.1 >/dev/null 2>&1; then
    libc=-musl
  fi
  echo "$os-$arch$libc"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is installed to check $1 against SHA256SUMS"
  fi
}

# The digest the SHA256SUMS file $1 lists for file name $2, or nothing.
listed_sum() {
  sed -n "s/^\([0-9a-f]\{64\}\)  *\*\{0,1\}$2\$/\1/p" "$1" | head -n 1
}

# Folders and files to remove however the script ends (set as they are made).
work=""
tmp=""
cleanup() {
  [ -z "$tmp" ] || rm -f "$tmp"
  [ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT

# SHA256SUMS of release folder $1, copied into $work: checked (its signature, when there is a key
# to check it with) and then read from that copy, so what is checked is what is used.
sums=""
take_sums() {
  local dir=$1 shipped="$1/release-key.asc" fpr
  work=$(mktemp -d "${TMPDIR:-/tmp}/$NAME-install.XXXXXX") || die "cannot create a temp folder"
  cp "$dir/SHA256SUMS" "$work/SHA256SUMS" || die "cannot read $dir/SHA256SUMS"
  sums="$work/SHA256SUMS"
  [ -f "$dir/SHA256SUMS.asc" ] && cp "$dir/SHA256SUMS.asc" "$work/SHA256SUMS.asc"
  if [ -n "$key" ]; then
    [ -f "$key" ] || die "--key $key: no such file"
    [ -f "$work/SHA256SUMS.asc" ] ||
      die "--key given, but $dir has no SHA256SUMS.asc (signature) to check; nothing installed"
    fpr=$(verify_signature "$key")
    say "SHA256SUMS: signature good, key $fpr (given with --key)"
  elif [ -f "$work/SHA256SUMS.asc" ] && [ -f "$shipped" ]; then
    fpr=$(verify_signature "$shipped")
    say "SHA256SUMS: signature good, by the key shipped beside it ($fpr). That key came with the files: compare its fingerprint with the one the project publishes, or pass --key FILE"
  elif [ -f "$work/SHA256SUMS.asc" ]; then
    say "note: SHA256SUMS.asc is there but there is no key to check it with (--key FILE): checked SHA256 hashes only, which catch a damaged download, not a replaced one"
  else
    say "note: SHA256SUMS is not signed: checked SHA256 hashes only, which catch a damaged download, not a replaced one"
  fi
}

# Checks $work/SHA256SUMS.asc with the public key in file $1 (gpg); prints the signer's fingerprint.
verify_signature() {
  local status fpr
  command -v gpg >/dev/null 2>&1 || die "gpg is not installed to check the signature of SHA256SUMS; nothing installed"
  mkdir -m 700 "$work/gnupg"
  GNUPGHOME="$work/gnupg" gpg --batch --quiet --import "$1" 2>/dev/null ||
    die "$1 is not a public key gpg can read; nothing installed"
  status=$(GNUPGHOME="$work/gnupg" gpg --batch --status-fd 1 --verify "$work/SHA256SUMS.asc" "$sums" 2>/dev/null) || true
  fpr=$(echo "$status" | sed -n 's/^\[GNUPG:\] VALIDSIG \([0-9A-F]*\) .*/\1/p' | head -n 1)
  [ -n "$fpr" ] ||
    die "the signature SHA256SUMS.asc does not verify with $1 (files replaced or damaged, or another key); nothing installed"
  echo "$fpr"
}

# Checks the copy $3 against the digest SHA256SUMS lists for file name $2 of folder $1.
check_copy() {
  local dir=$1 name=$2 copy=$3 expected actual
  expected=$(listed_sum "$sums" "$name")
  [ -n "$expected" ] || die "$dir/SHA256SUMS does not list $name; nothing installed"
  actual=$(sha256_of "$copy")
  [ "$actual" = "$expected" ] ||
    die "$dir/$name does not match its SHA256SUMS entry (damaged or replaced download); nothing installed"
}

# True when the build in the source tree is missing or older than a file it is built from.
stale_build() {
  local exe=$1
  [ -f "$exe" ] || return 0
  [ -n "$(cd "$ROOT" && find src scripts bin package.json package-lock.json tsconfig.json \
    -newer "$exe" -type f -print 2>/dev/null | head -n 1)" ]
}

# A release folder: given, or the one this script was shipped in.
if [ -z "$from" ] && [ -z "$release" ] && [ -f "$ROOT/SHA256SUMS" ]; then
  release=$ROOT
fi

# The executable to install: --from, this platform's release file, or the build output.
check_dir=""
if [ -n "$from" ]; then
  source_file=$from
  [ -f "$source_file" ] || die "--from $source_file: no such file"
  # Checked too when it sits in a release folder that lists it.
  from_dir=$(cd "$(dirname "$source_file")" && pwd)
  if [ -f "$from_dir/SHA256SUMS" ] && [ -n "$(listed_sum "$from_dir/SHA256SUMS" "$(basename "$source_file")")" ]; then
    check_dir=$from_dir
  fi
elif [ -n "$release" ]; then
  [ -f "$release/SHA256SUMS" ] || die "--release $release: no SHA256SUMS there (not a release folder)"
  [ -n "$platform" ] || platform=$(detect_platform)
  source_file="$release/$NAME-$platform"
  if [ ! -f "$source_file" ]; then
    available=$(sed -n "s/^[0-9a-f]\{64\}  *\*\{0,1\}$NAME-\([a-z0-9_-]*\)\$/\1/p" "$release/SHA256SUMS" | paste -sd, - | sed 's/,/, /g')
    die "no executable for $platform in $release (there are: $available); on another platform use the npm package with Node.js 20.19+: npm install -g $NAME"
  fi
  check_dir=$release
else
  source_file="$ROOT/dist/$NAME"
  if stale_build "$source_file"; then
    command -v npm >/dev/null 2>&1 ||
      die "$source_file is missing or older than the sources, and npm is not installed to build it: install Node.js 20+ or pass --from FILE"
    [ -f "$ROOT/package.json" ] || die "$source_file is missing and $ROOT is not the source tree to build it from"
    # npm ci only when the dependencies are missing or older than the lock file.
    if [ ! -f "$ROOT/node_modules/.package-lock.json" ] ||
      [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
      say "installing the build's dependencies (npm ci) in $ROOT"
      (cd "$ROOT" && npm ci --no-audit --no-fund >&2) || die "npm ci failed (see the npm output above)"
    fi
    say "building $NAME (npm run build) in $ROOT: $([ -f "$source_file" ] && echo "the sources are newer than the build" || echo "no build yet")"
    (cd "$ROOT" && npm run build >&2) || die "the build failed (see the npm output above)"
    [ -f "$source_file" ] || die "the build finished but made no $source_file (Bun may not run on this platform: use the npm package)"
  fi
fi
[ -z "$check_dir" ] || take_sums "$check_dir"

mkdir -p "$bindir" 2>/dev/null || die "cannot create $bindir (permissions? try --prefix DIR)"
[ -w "$bindir" ] || die "cannot write to $bindir (run as root, or pass --prefix DIR)"

# What is there now: this program (an older or the same version), nothing, or something else.
previous=""
if [ -e "$dest" ]; then
  if previous=$(version_of "$dest") && [ -n "$previous" ]; then
    :
  elif out=$("$dest" version 2>/dev/null </dev/null); then
    die "$dest is another program (its 'version' says: $(echo "$out" | head -n 1 | cut -c1-80)); nothing installed: remove it yourself if it should go, or pass --prefix DIR"
  else
    previous=""
  fi
fi

# Copy next to the target, then check the copy (its digest, that it runs), then rename: what was
# checked is what is installed, and a reader (a docker pull running right now) sees the old file
# or the new one, never a partial one.
tmp=$(mktemp "$bindir/.$NAME.XXXXXX") || die "cannot create a temp file in $bindir"
cp "$source_file" "$tmp" || die "cannot copy $source_file to $bindir (disk full?)"
[ -z "$check_dir" ] || check_copy "$check_dir" "$(basename "$source_file")" "$tmp"
chmod 755 "$tmp"
new=$(version_of "$tmp") && [ -n "$new" ] ||
  die "$source_file does not run on this machine ('$NAME version' failed); nothing installed"

if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
  say "$dest is already up to date ($new)"
else
  mv -f "$tmp" "$dest" || die "cannot move the new executable into place at $dest"
  tmp=""
  runs "$dest" || die "$dest was installed but does not run"
  # sort -V orders versions (GNU and recent BSD sort); without it, no claim about which is newer.
  sorted=$(printf '%s\n%s\n' "$previous" "$new" | sort -V 2>/dev/null | head -n 1) || sorted=""
  if [ -z "$previous" ]; then
    say "installed $dest ($(version_line "$dest"))"
  elif [ "$previous" = "$new" ]; then
    say "reinstalled $dest: another build of $new"
  elif [ "$sorted" = "$previous" ]; then
    say "upgraded $previous → $new ($dest)"
  elif [ "$sorted" = "$new" ]; then
    say "downgraded $previous → $new ($dest)"
  else
    say "replaced $previous → $new ($dest)"
  fi
fi

case ":$PATH:" in
  *":$bindir:"*) ;;
  *) say "note: $bindir is not on your PATH; docker finds credential helpers through PATH, so add it" ;;
esac

if $configure; then
  args=()
  $store && args+=(--store)
  "$dest" configure ${registries[@]+"${registries[@]}"} ${args[@]+"${args[@]}"} ||
    die "configure failed (see its message above); the executable is installed"
fi
