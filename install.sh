#!/usr/bin/env bash
# Installs docker-credential-ecr-ts (the executable) into a bin folder on PATH and, optionally,
# wires it into the docker config. Idempotent; never leaves a half-written file.
#
#   ./install.sh [--prefix DIR] [--from FILE | --release DIR [--platform P]] [--configure [REGISTRY...]] [--store]
#   ./install.sh [--prefix DIR] --uninstall
#
# Without --prefix: /usr/local/bin as root, ~/.local/bin otherwise. The executable: --from FILE;
# else this machine's file (docker-credential-ecr-ts-<os>-<arch>[-musl], or --platform) of the
# release folder that holds this script (or --release DIR), checked against its SHA256SUMS; else,
# in the source tree, dist/docker-credential-ecr-ts, built first (npm ci, npm run build) if missing.
set -euo pipefail

NAME=docker-credential-ecr-ts
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
  echo "install.sh: error: $*" >&2
  exit 1
}
say() { echo "install.sh: $*" >&2; }

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

prefix=""
from=""
release=""
platform=""
uninstall=false
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
    --uninstall) uninstall=true; shift ;;
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

if $uninstall; then
  $configure && die "--uninstall and --configure do not go together"
  if [ -e "$dest" ] || [ -L "$dest" ]; then
    rm -f "$dest" || die "cannot remove $dest (permissions?)"
    say "removed $dest (entries in your docker config.json are left as they are)"
  else
    say "$dest is not installed; nothing to do"
  fi
  exit 0
fi

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

# The digest SHA256SUMS (in folder $1) lists for file name $2, or nothing.
listed_sum() {
  sed -n "s/^\([0-9a-f]\{64\}\)  *\*\{0,1\}$2\$/\1/p" "$1/SHA256SUMS" | head -n 1
}

check_sum() {
  local dir=$1 file=$2 expected actual
  expected=$(listed_sum "$dir" "$(basename "$file")")
  [ -n "$expected" ] || die "$dir/SHA256SUMS does not list $(basename "$file"); nothing installed"
  actual=$(sha256_of "$file")
  [ "$actual" = "$expected" ] ||
    die "$file does not match its SHA256SUMS entry (damaged or replaced download); nothing installed"
}

# A release folder: given, or the one this script was shipped in.
if [ -z "$from" ] && [ -z "$release" ] && [ -f "$ROOT/SHA256SUMS" ]; then
  release=$ROOT
fi

# The executable to install: --from, this platform's release file, or the build output.
if [ -n "$from" ]; then
  source_file=$from
  [ -f "$source_file" ] || die "--from $source_file: no such file"
  # Checked too when it sits in a release folder that lists it.
  from_dir=$(cd "$(dirname "$source_file")" && pwd)
  if [ -f "$from_dir/SHA256SUMS" ] && [ -n "$(listed_sum "$from_dir" "$(basename "$source_file")")" ]; then
    check_sum "$from_dir" "$source_file"
  fi
elif [ -n "$release" ]; then
  [ -f "$release/SHA256SUMS" ] || die "--release $release: no SHA256SUMS there (not a release folder)"
  [ -n "$platform" ] || platform=$(detect_platform)
  source_file="$release/$NAME-$platform"
  if [ ! -f "$source_file" ]; then
    available=$(sed -n "s/^[0-9a-f]\{64\}  *\*\{0,1\}$NAME-//p" "$release/SHA256SUMS" | paste -sd, - | sed 's/,/, /g')
    die "no executable for $platform in $release (there are: $available); on another platform use the npm package with Node.js 20.19+: npm install -g $NAME"
  fi
  check_sum "$release" "$source_file"
else
  source_file="$ROOT/dist/$NAME"
  if [ ! -f "$source_file" ]; then
    command -v npm >/dev/null 2>&1 ||
      die "$source_file is missing and npm is not installed to build it: install Node.js 20+ or pass --from FILE"
    [ -f "$ROOT/package.json" ] || die "$source_file is missing and $ROOT is not the source tree to build it from"
    say "building $NAME (npm ci, npm run build) in $ROOT"
    (cd "$ROOT" && npm ci --no-audit --no-fund >&2 && npm run build >&2) ||
      die "the build failed (see the npm output above)"
    [ -f "$source_file" ] || die "the build finished but made no $source_file (Bun may not run on this platform: use the npm package)"
  fi
fi

runs() {
  local out
  out=$("$1" version 2>/dev/null </dev/null) || return 1
  case "$out" in "$NAME "*) return 0 ;; *) return 1 ;; esac
}

mkdir -p "$bindir" 2>/dev/null || die "cannot create $bindir (permissions? try --prefix DIR)"
[ -w "$bindir" ] || die "cannot write to $bindir (run as root, or pass --prefix DIR)"

if [ -f "$dest" ] && cmp -s "$source_file" "$dest" && runs "$dest"; then
  say "$dest is already up to date"
else
  # Copy next to the target, check that the copy runs, then rename: a reader (a docker pull
  # running right now) sees the old file or the new one, never a partial one.
  tmp=$(mktemp "$bindir/.$NAME.XXXXXX") || die "cannot create a temp file in $bindir"
  trap 'rm -f "$tmp"' EXIT
  cp "$source_file" "$tmp" || die "cannot copy $source_file to $bindir (disk full?)"
  chmod 755 "$tmp"
  runs "$tmp" || die "$source_file does not run on this machine ('$NAME version' failed); nothing installed"
  mv -f "$tmp" "$dest" || die "cannot move the new executable into place at $dest"
  trap - EXIT
  runs "$dest" || die "$dest was installed but does not run"
  say "installed $dest ($("$dest" version))"
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
