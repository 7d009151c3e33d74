#!/usr/bin/env bash
# CI hook, called by .ci/run after the tests. Three checks, a few minutes on 2 cores:
#  1. every BenchmarkDotNet benchmark runs once (Dry job, Release) so none rots;
#  2. scripts/perf.sh --short: each macro pair for a few seconds, failing only on a drastic
#     regression (a ratio below half of its target), never on an absolute time;
#  3. scripts/pack.sh --smoke: both packages pack, the `paysim` tool installs from ./artifacts
#     into a temporary tool path, lists the plans and passes a 5 s smoke run.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$SECONDS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
B=src/Benchmarks/bin/Release/net10.0/PaySim.Benchmarks.dll

echo "ci-extra: building src/Benchmarks (Release)"
if ! dotnet build src/Benchmarks -c Release -nologo -v q >"$tmp/build.log" 2>&1; then
  grep -E 'error' "$tmp/build.log" | sort -u | head -n 20
  echo "ci-extra: Release build of src/Benchmarks failed"
  exit 1
fi

# 1. Dry job: one launch, one iteration, no warm-up. In-process, because a generated project
# per run would rebuild the whole graph again; what we want here is "each benchmark still runs".
echo "ci-extra: BenchmarkDotNet dry run of every benchmark"
micro_rc=0
dotnet "$B" --filter '*' --job Dry --inProcess --artifacts "$tmp/bdn" >"$tmp/bdn.log" 2>&1 || micro_rc=$?
micro_count=$(grep -cE '^// Benchmark: ' "$tmp/bdn.log" || true)
if [ "$micro_rc" -ne 0 ]; then
  grep -E 'Exception|error|Error' "$tmp/bdn.log" | head -n 20
  echo "ci-extra: a benchmark failed (BenchmarkDotNet exit $micro_rc)"
fi
micro_secs=$((SECONDS - started))

# 2. Short macro comparisons. First, bad input: an unknown --only id is one line and exit 2, nothing run.
perf_rc=0
bad_rc=0
bad_out=$(scripts/perf.sh --only no-such-pair 2>&1) || bad_rc=$?
if [ "$bad_rc" -ne 2 ] || [ "$(printf '%s\n' "$bad_out" | wc -l)" -ne 1 ] || [[ "$bad_out" != *"unknown pair 'no-such-pair'"* ]]; then
  echo "ci-extra: scripts/perf.sh --only no-such-pair should exit 2 with one line naming it; got exit $bad_rc: $bad_out"
  perf_rc=2
fi
PERF_OUT="$tmp/perf-short.md" scripts/perf.sh --short --no-build --no-micro 2>"$tmp/perf.err" | tee "$tmp/perf.out" || perf_rc=$?
if [ "$perf_rc" -ne 0 ]; then
  tail -n 30 "$tmp/perf.err"
fi

# 3. Packages: the library packs, the tool packs, installs and runs.
pack_rc=0
bash scripts/pack.sh --smoke >"$tmp/pack.log" 2>&1 || pack_rc=$?
tail -n 1 "$tmp/pack.log"
if [ "$pack_rc" -ne 0 ]; then
  tail -n 30 "$tmp/pack.log"
fi

echo
echo "ci-extra summary ($((SECONDS - started)) s)"
printf '  %-28s %s\n' "micro-benchmarks (dry)" "$([ "$micro_rc" -eq 0 ] && echo ok || echo FAILED), $micro_count benchmark cases, ${micro_secs} s"
printf '  %-28s %s\n' "perf.sh --short" "$([ "$perf_rc" -eq 0 ] && echo ok || echo FAILED)"
printf '  %-28s %s\n' "pack.sh --smoke" "$([ "$pack_rc" -eq 0 ] && echo ok || echo FAILED)"
[ "$micro_rc" -eq 0 ] && [ "$perf_rc" -eq 0 ] && [ "$pack_rc" -eq 0 ]
