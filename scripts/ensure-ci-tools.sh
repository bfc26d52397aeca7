#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Best effort: installs the checkers that the CI-recipe tests (Tests/BinAuthzCLITests/CIRecipeTests.swift) use on
# the configurations in Docs/CIIntegration.md. A checker that cannot be installed makes its test skip with a reason;
# this script never fails the build.
#   - shellcheck:       Debian package (as root, with apt-get)
#   - check-jsonschema: PyPI, into .build-tools/venv (its vendored CircleCI 2.1 and GitHub-workflow schemas)
#   - actionlint:       used when already on PATH; it has no release that installs offline
set -uo pipefail
cd "$(dirname "$0")/.." || exit 0

if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-ci-tools: installing shellcheck" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y shellcheck >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y shellcheck >/dev/null 2>&1; } ||
      echo "ensure-ci-tools: could not install shellcheck; its test will skip" >&2
  else
    echo "ensure-ci-tools: shellcheck is missing (sudo apt-get install -y shellcheck); its test will skip" >&2
  fi
fi

venv=.build-tools/venv
if ! command -v check-jsonschema >/dev/null 2>&1 && [ ! -x "$venv/bin/check-jsonschema" ]; then
  echo "ensure-ci-tools: installing check-jsonschema into $venv" >&2
  if ! { python3 -m venv "$venv" >/dev/null 2>&1 || { [ "$(id -u)" -eq 0 ] && apt-get install -y python3-venv >/dev/null 2>&1 && python3 -m venv "$venv"; }; } ||
    ! timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==0.39.0" >/dev/null 2>&1; then
    echo "ensure-ci-tools: could not install check-jsonschema (needs python3-venv and PyPI); its test will skip" >&2
  fi
fi
exit 0
