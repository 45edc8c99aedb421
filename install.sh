#!/usr/bin/env bash
# Installs docker-credential-ecr-ts (the single executable) into a bin folder on PATH and,
# optionally, wires it into the docker config. Idempotent; never leaves a half-written file.
#
#   ./install.sh [--prefix DIR] [--from FILE] [--configure [REGISTRY...]] [--store]
#   ./install.sh [--prefix DIR] --uninstall
#
# Without --prefix: /usr/local/bin as root, ~/.local/bin otherwise. Without --from, the executable
# is dist/docker-credential-ecr-ts beside this script, built first (npm ci, npm run build) if missing.
set -euo pipefail

NAME=docker-credential-ecr-ts
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
  echo "install.sh: error: $*" >&2
  exit 1
}
say() { echo "install.sh: $*" >&2; }

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

prefix=""
from=""
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

# The executable to install: --from, or the build output, built when missing.
if [ -n "$from" ]; then
  source_file=$from
  [ -f "$source_file" ] || die "--from $source_file: no such file"
else
  source_file="$ROOT/dist/$NAME"
  if [ ! -f "$source_file" ]; then
    command -v npm >/dev/null 2>&1 ||
      die "$source_file is missing and npm is not installed to build it: install Node.js 20+ or pass --from FILE"
    [ -f "$ROOT/package.json" ] || die "$source_file is missing and $ROOT is not the source tree to build it from"
    say "building $NAME (npm ci, npm run build) in $ROOT"
    (cd "$ROOT" && npm ci --no-audit --no-fund >&2 && npm run build >&2) ||
      die "the build failed (see the npm output above)"
    [ -f "$source_file" ] || die "the build finished but made no $source_file (this platform may have no single-executable build)"
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
