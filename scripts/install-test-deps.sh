#!/usr/bin/env bash
# Installs the real peers the tests drive, from Debian's packages: skopeo and docker-registry for the
# registry round trip, python3-docker for the docker-py e2e, htpasswd, iproute2 (ip netns) and
# openssl for namespaces and the test CA; hyperfine, time (peak memory) and Amazon's helper for the
# benchmarks; golang-docker-credential-helpers (docker-credential-pass), pass and gnupg for universal
# mode's fallback over a real encrypted store; qemu-user-static and Debian's arm64 cross libraries
# to run the linux-arm64 executable on x64 (jest.arm64.config.cjs); rpm (rpmbuild, for
# npm run build:packages, and rpm -qp to check its .rpm files) and lintian (the .deb files);
# podman and buildah, the other containers/image clients (test/e2e/podman-buildah.test.ts).
# The docker CLI itself comes with the machine (/usr/local/bin/docker); Debian's docker.io would
# add a daemon, so it is not installed here (the docker CLI e2e also covers it when present).
# Needs root (or sudo) and apt-get; elsewhere, tests needing a missing peer skip with a message.
set -euo pipefail
PACKAGES=(skopeo docker-registry python3-docker apache2-utils iproute2 openssl tar
  amazon-ecr-credential-helper hyperfine time golang-docker-credential-helpers pass gnupg
  qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross
  rpm lintian podman buildah)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test peers already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "apt-get not found: install ${missing[*]} yourself; tests needing them will skip" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# docker-registry ships a service: it must not start on the host during the install.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
# A mirror hiccup should not fail CI: try each step up to three times.
retry() {
  local attempt
  for attempt in 1 2 3; do
    "$@" && return 0
    echo "attempt $attempt of '$*' failed" >&2
    sleep $((attempt * 5))
  done
  return 1
}
retry $SUDO apt-get update -qq
retry $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
