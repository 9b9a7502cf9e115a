#!/usr/bin/env bash
# Builds the libFuzzer targets with the `fuzz` preset (clang, ASan+UBSan) and fuzzes the GS1
# parser for a given time, starting from a seed corpus generated from the unit tests' messages.
#
# Usage: tools/fuzz.sh [seconds=300] [extra libFuzzer flags...]
# Environment:
#   BCMA_FUZZ_BUILD_DIR   build tree (default build/fuzz)
#   BCMA_FUZZ_SKIP_BUILD  1 to use the build tree as it is
# Crashes land in <build>/fuzz-artifacts/; turn each into a case in
# tests/shared/gs1/regression_test.cpp (see docs/fuzzing.md).
set -euo pipefail

seconds="${1:-300}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BCMA_FUZZ_BUILD_DIR:-$root/build/fuzz}"

if [ "${BCMA_FUZZ_SKIP_BUILD:-0}" != "1" ]; then
  (cd "$root" && cmake --preset fuzz -B "$build" >/dev/null)
  cmake --build "$build" -j2 --target bcma_gs1_parse_fuzzer bcma_gs1_seed_corpus
fi

seeds="$build/fuzz-seeds/gs1"
corpus="$build/fuzz-corpus/gs1"
artifacts="$build/fuzz-artifacts"
rm -rf "$seeds"
mkdir -p "$corpus" "$artifacts"
"$build/bin/bcma_gs1_seed_corpus" "$seeds"

cd "$build"
# -jobs=1 runs one fuzzing process (the machine is shared); its log is fuzz-0.log.
set +e
"$build/bin/bcma_gs1_parse_fuzzer" "$corpus" "$seeds" \
  -dict="$root/tests/fuzz/gs1.dict" \
  -max_total_time="$seconds" -jobs=1 -print_final_stats=1 -max_len=512 -timeout=10 \
  -artifact_prefix="$artifacts/" "$@"
status=$?
set -e
tail -n 25 "$build/fuzz-0.log" 2>/dev/null || true
if [ "$status" -ne 0 ] || compgen -G "$artifacts/crash-*" >/dev/null || compgen -G "$artifacts/leak-*" >/dev/null; then
  echo "fuzz.sh: the fuzzer found a problem; see $artifacts" >&2
  exit 1
fi
echo "fuzz.sh: no crash in ${seconds}s"
