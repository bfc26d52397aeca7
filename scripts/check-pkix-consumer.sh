#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Proves that a program using only PKIX attestor keys (BinAuthzAttestation, BinAuthzPKIX, BinAuthzPolicy,
# BinAuthzTesting) builds, links and runs without GPGME: builds Tests/Consumers/PKIXOnly and runs it.
#
# As root with mount namespaces available (CI), the build runs with gpgme's header, shared library and pkg-config
# file replaced by empty files, so any use of GPGME fails to compile or link. Everywhere, it then checks that no
# BinAuthzPGP or CGPGME module was built and that the executable does not link libgpgme.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
package=Tests/Consumers/PKIXOnly
scratch=${CONSUMER_SCRATCH:-.build-consumer}

build_and_run() {
  "$SWIFT" build --package-path "$package" --scratch-path "$scratch"
  "$("$SWIFT" build --package-path "$package" --scratch-path "$scratch" --show-bin-path)/pkix-only-consumer"
}

if [ "${1:-}" = "--inside" ]; then
  # In a private mount namespace: hide GPGME, then build and run.
  hidden=()
  for f in /usr/include/gpgme.h /usr/include/gpgme++ \
    /usr/lib/*/pkgconfig/gpgme*.pc /usr/share/pkgconfig/gpgme*.pc /usr/lib/*/libgpgme*.so* /usr/bin/gpgme-config; do
    [ -e "$f" ] || continue
    if [ -d "$f" ]; then mount -t tmpfs none "$f"; else mount --bind /dev/null "$f"; fi
    hidden+=("$f")
  done
  echo "check-pkix-consumer: GPGME hidden for this build: ${hidden[*]:-(not installed)}" >&2
  if pkg-config --exists gpgme 2>/dev/null && [ -s "$(pkg-config --variable=pcfiledir gpgme)/gpgme.pc" ]; then
    echo "check-pkix-consumer: gpgme.pc is still visible" >&2
    exit 1
  fi
  build_and_run
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
  unshare -m --propagation private "$0" --inside
else
  echo "check-pkix-consumer: not root or no mount namespaces: building with GPGME installed, checking the graph" >&2
  build_and_run
fi

# Whatever the machine, the graph must not contain the PGP layer.
bin=$("$SWIFT" build --package-path "$package" --scratch-path "$scratch" --show-bin-path)
# SwiftPM writes an (empty) build directory for every target of a dependency; what counts is what was compiled.
for module in BinAuthzPGP CGPGME BinAuthz; do
  if [ -e "$bin/Modules/$module.swiftmodule" ] || compgen -G "$bin/$module.build/*.o" >/dev/null; then
    echo "check-pkix-consumer: $module was compiled for a PKIX-only consumer" >&2
    exit 1
  fi
done
if ldd "$bin/pkix-only-consumer" | grep -q gpgme; then
  echo "check-pkix-consumer: pkix-only-consumer links libgpgme:" >&2
  ldd "$bin/pkix-only-consumer" >&2
  exit 1
fi
echo "check-pkix-consumer: ok — built, linked and ran without GPGME"
