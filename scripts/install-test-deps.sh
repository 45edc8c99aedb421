#!/usr/bin/env bash
# Installs the real peers the e2e tests drive (Debian packages). Needs root (or sudo) and apt-get;
# on other machines the e2e tests that need a missing tool skip with a visible message.
set -euo pipefail
PACKAGES=(skopeo docker-registry python3-docker amazon-ecr-credential-helper hyperfine apache2-utils iproute2 openssl)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test peers already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "apt-get not found: install ${missing[*]} yourself; e2e tests needing them will skip" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
