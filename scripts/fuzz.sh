#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the libFuzzer drivers (Fuzz/, AddressSanitizer + coverage) and runs each fuzz target for FUZZ_SECONDS
# (default 60), seeded from Tests/Fixtures/fuzz-regressions/<target> and the working corpus Fuzz/.corpus/<target>
# (kept between runs, not committed). A crash, hang, leak or broken invariant is written to Fuzz/artifacts/ and
# makes the script fail: minimize it (`-minimize_crash=1`), fix the bug, and add the input to the regression
# corpus, which `make test` replays.
#
#   make fuzz                                   every target, 60 s each
#   FUZZ_SECONDS=600 FUZZ_TARGETS="manifest" make fuzz
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
TARGETS="${FUZZ_TARGETS:-policy-yaml policy-json attestor occurrences manifest admission-review pgp-message pgp-key pkix payload image-reference}"
SWIFT="${SWIFT:-swift}"
RUNTIME_DIR="$("$SWIFT" -print-target-info | python3 -c 'import json,sys; print(json.load(sys.stdin)["paths"]["runtimeResourcePath"])')/clang/lib/linux"
FUZZER_LIB="$RUNTIME_DIR/libclang_rt.fuzzer_no_main-$(uname -m).a"
[ -f "$FUZZER_LIB" ] || { echo "fuzz: libFuzzer runtime not found at $FUZZER_LIB" >&2; exit 1; }

# Coverage and AddressSanitizer on every Swift module; libFuzzer's driver without its main (ours calls it).
"$SWIFT" build --package-path Fuzz -c release --scratch-path .build-fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
  -Xlinker "$FUZZER_LIB" -Xlinker -lstdc++
BIN="$("$SWIFT" build --package-path Fuzz -c release --scratch-path .build-fuzz --show-bin-path)/binauthz-fuzz"

mkdir -p Fuzz/artifacts
status=0
printf '%-18s %12s %8s %8s %s\n' target executions cov ft result
for target in $TARGETS; do
  mkdir -p "Fuzz/.corpus/$target"
  log="Fuzz/artifacts/$target.log"
  set +e
  BINAUTHZ_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 "$BIN" \
    "Fuzz/.corpus/$target" "Tests/Fixtures/fuzz-regressions/$target" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=3072 \
    -artifact_prefix="Fuzz/artifacts/$target-" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  if [ $rc -eq 0 ]; then result=ok; else result="FAILED (see $log)"; status=1; fi
  printf '%-18s %12s %8s %8s %s\n' "$target" "$runs" "$cov" "$ft" "$result"
done
exit $status
