#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Makes sure the system packages swift-binauthz needs are present:
#   libgpgme-dev  GPGME headers and library (the PGP layer links it)
#   gnupg         gpg, gpg-agent and gpgconf (GPGME drives them)
#   pkg-config    lets SwiftPM find gpgme.pc and yaml-0.1.pc
#   libyaml-dev   libyaml headers and library (the YAML reader parses events with it)
#   openssl, curl the admission webhook example's tests (a serving certificate, HTTPS requests)
# As root it installs what is missing with apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

missing=()
if ! { [ -f /usr/include/gpgme.h ] || pkg-config --exists gpgme 2>/dev/null; }; then missing+=(libgpgme-dev); fi
if ! command -v gpg >/dev/null 2>&1 || ! command -v gpg-agent >/dev/null 2>&1 || ! command -v gpgconf >/dev/null 2>&1; then
  missing+=(gnupg)
fi
if ! command -v pkg-config >/dev/null 2>&1; then missing+=(pkg-config); fi
# The webhook example's tests make their serving certificate with openssl and send reviews with curl.
if ! command -v openssl >/dev/null 2>&1; then missing+=(openssl); fi
if ! command -v curl >/dev/null 2>&1; then missing+=(curl); fi
if ! { [ -f /usr/include/yaml.h ] || pkg-config --exists yaml-0.1 2>/dev/null; }; then missing+=(libyaml-dev); fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
else
  echo "ensure-deps: missing system packages: ${missing[*]}" >&2
  echo "ensure-deps: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
