#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for SECONDS (default 60) on a copy
# of its seed corpus. Exits non-zero on any crash, leak, timeout (an input that takes
# over 5 s is a hang), out-of-memory or broken invariant; the reproducer is kept under
# $FUZZ_OUT (default .build-fuzz/findings) and its path printed.
#
#   scripts/fuzz.sh            # 60 s per target
#   scripts/fuzz.sh 600        # longer
#   FUZZ_TARGETS=FuzzMatching scripts/fuzz.sh 30
#
# Re-run one finding:  .build-fuzz/release/FuzzMatching path/to/crash-…
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=${1:-60}
TARGETS=${FUZZ_TARGETS:-"FuzzLineProtocol FuzzMatching FuzzJSONLineWriter"}
SCRATCH=${FUZZ_SCRATCH:-$ROOT/.build-fuzz}
OUT=${FUZZ_OUT:-$SCRATCH/findings}
export SWIFT_BACKTRACE=enable=no
# Leaks are findings; the Swift runtime's own one-time allocations are not reported
# because the harness builds its fixtures with LeakSanitizer disabled.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}

mkdir -p "$SCRATCH"
# SwiftPM keeps the build plan while Fuzz/Package.swift is unchanged and would not see
# files added to the main package's targets: plan anew each time (objects are reused).
rm -f "$SCRATCH/release.yaml" "$SCRATCH/release/description.json"
echo "== building fuzz targets (release, -sanitize=fuzzer,address)"
if ! swift build -c release --package-path Fuzz --scratch-path "$SCRATCH" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >"$SCRATCH/build.log" 2>&1; then
    tail -40 "$SCRATCH/build.log"
    echo "fuzz build failed (full log: $SCRATCH/build.log)"
    exit 2
fi

corpus_for() {
    case "$1" in
        FuzzLineProtocol) echo line ;;
        FuzzMatching) echo match ;;
        FuzzJSONLineWriter) echo json ;;
    esac
}

status=0
mkdir -p "$OUT"
for target in $TARGETS; do
    work=$(mktemp -d "${TMPDIR:-/tmp}/treue-fuzz-$target.XXXXXX")
    cp -R "Fuzz/corpus/$(corpus_for "$target")/." "$work/"
    log="$OUT/$target.log"
    echo "== $target for ${SECONDS_EACH}s (corpus copy: $work, log: $log)"
    TREUE_ROOT="$ROOT" "$SCRATCH/release/$target" "$work" \
        -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=2048 -max_len=8192 \
        -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$OUT/$target-" \
        -close_fd_mask=1 >"$log" 2>&1
    rc=$?
    grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|cov: " "$log" | tail -3
    if [ $rc -ne 0 ]; then
        status=1
        echo "!! $target FAILED (exit $rc):"
        grep -E "ERROR|SUMMARY|invariant violated|Fatal error|Test unit written" "$log" | head -10
        echo "   full log: $log"
    else
        echo "   $target: no crash, leak or hang"
    fi
    rm -rf "$work"
done
exit $status
