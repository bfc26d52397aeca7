#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds every DocC catalog with docc, warnings as errors: a link to a symbol that no longer exists, an ambiguous
# link or a broken topic fails the check. Symbol graphs come from `swift package dump-symbol-graph` (public
# declarations only, as users see them). Each module is converted alone, so a link to another module's symbol
# cannot resolve: write those in code voice (`InputLimits`), not as ``links``. Run by `make test` (`make docs`).
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
DOCC=${DOCC:-$(dirname "$(command -v "$SWIFT")")/docc}
[ -x "$DOCC" ] || DOCC=$(command -v docc || true)
if [ -z "$DOCC" ] || [ ! -x "$DOCC" ]; then
  echo "check-docs: docc not found next to $SWIFT or on PATH" >&2
  exit 1
fi

"$SWIFT" package dump-symbol-graph --minimum-access-level public >/dev/null
graphs="$("$SWIFT" build --show-bin-path)/../symbolgraph"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
for catalog in Sources/*/*.docc; do
  module=$(basename "$catalog" .docc)
  mkdir -p "$work/$module/graphs"
  cp "$graphs/$module.symbols.json" "$work/$module/graphs/"
  cp "$graphs/$module"@*.symbols.json "$work/$module/graphs/" 2>/dev/null || true
  # Parameter and return documentation is reviewed, not enforced; everything else is an error.
  if "$DOCC" convert "$catalog" --additional-symbol-graph-dir "$work/$module/graphs" \
    --fallback-display-name "$module" --fallback-bundle-identifier "dev.binauthz.$module" \
    --output-path "$work/$module/out" --warnings-as-errors --disable-parameters-and-returns-validation \
    >"$work/$module/log" 2>&1; then
    echo "check-docs: $module ok"
  else
    echo "check-docs: $module has documentation errors:" >&2
    grep -E "^(warning|error)|^ *[0-9]+ \|" "$work/$module/log" >&2 || cat "$work/$module/log" >&2
    status=1
  fi
done
for dir in Sources/*/; do
  module=$(basename "$dir")
  case "$module" in C* | _* | binauthz* | BinAuthzCLI) continue ;; esac
  [ -d "Sources/$module/$module.docc" ] || { echo "check-docs: $module has no DocC catalog" >&2; status=1; }
done
exit $status
