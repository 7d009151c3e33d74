# The report of scripts/perf.sh: a table on stdout and the markdown file. Sourced, not run.
# Reads $WORK/results.tsv (one row per pair, see perf_row) and $WORK/commands.txt.

perf_machine() {
  local cpu mem os runtime h2v wrkv heyv
  cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
  os=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") )
  os="$os, kernel $(uname -r)"
  runtime=$(dotnet --list-runtimes 2>/dev/null | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }')
  h2v=$(h2load --version 2>/dev/null | head -n 1)
  wrkv=$(wrk --version 2>/dev/null | head -n 1 | awk '{ print $1, $2 }')
  heyv=$(dpkg-query -W -f='${Version}' hey 2>/dev/null)
  if [ "${PERF_PIN:-0}" -eq 1 ]; then
    echo "| cores | $(nproc) × ${cpu:-unknown CPU} |"
    echo "| pinning | servers under test on cores $PERF_SRV_CPUS, load tools (h2load, wrk, hey, the benchmark clients) on cores $PERF_TOOL_CPUS, with \`taskset -c\` |"
  else
    echo "| cores | $(nproc) × ${cpu:-unknown CPU}, shared by the clients and the servers under test |"
  fi
  echo "| memory | ${mem:-unknown} |"
  echo "| OS | $os |"
  echo "| .NET | SDK $(dotnet --version 2>/dev/null), runtime ${runtime:-unknown}, Release build, server GC |"
  echo "| load tools | ${h2v:-h2load missing}; ${wrkv:-wrk missing}; hey ${heyv:-missing} |"
}

perf_report() {
  local out=$1 failures
  failures=$(awk -F'\t' '$8 == "drastic" || $8 == "error"' "$WORK/results.tsv" | wc -l)

  echo
  echo "perf ($MODE mode, $(date -u '+%Y-%m-%d %H:%M UTC'))"
  awk -F'\t' 'BEGIN { printf "%-12s %-13s %-28s %-30s %-14s %s\n", "pair", "status", "measured", "baseline", "ratio", "target" }
    { printf "%-12s %-13s %-28s %-30s %-14s %s\n", $1, $8, $3, $4 " " $5, $6, $7 }' "$WORK/results.tsv"

  mkdir -p "$(dirname "$out")"
  local kept=""
  if [ -f "$out" ]; then
    kept=$(awk '/^<!-- hand-measured: begin/ { on = 1 } on { print } /^<!-- hand-measured: end/ { on = 0 }' "$out")
  fi
  {
    echo "# Benchmarks"
    echo
    echo "> Written by \`scripts/perf.sh\` ($MODE mode) on $(date -u '+%Y-%m-%d %H:%M UTC'). Do not edit by hand:"
    echo "> every figure here comes from that run (the sections between the \`hand-measured\` markers come from the"
    echo "> runs they name, and the script keeps them). Run \`scripts/perf.sh\` to refresh it."
    echo
    echo "## Machine"
    echo
    echo "| | |"
    echo "| --- | --- |"
    perf_machine
    echo
    if [ "${PERF_PIN:-0}" -eq 1 ]; then
      echo "Pinned run (\`scripts/perf.sh --pin\`): the servers under test and the load tools ran on the disjoint"
      echo "core sets above, so neither side took the other's cores. The \`scaling-N\` rows give the same server"
      echo "N of the server cores. Read the **ratios**: each pair runs both"
    else
      echo "The machine has **$(nproc) cores shared by client and server**: the load tool and the server under test"
      echo "(and, during development, other builds) compete for the same cores, so absolute requests per"
      echo "second are far below what a dedicated server would do. Read the **ratios**: each pair runs both"
    fi
    echo "sides in the same run, one after the other, with the same connections, concurrency and duration"
    echo "(${SECS} s after a ${WARM} s warm-up, best of ${REPEAT})."
    echo
    echo "## Results"
    echo
    echo "| pair | figure | measured | baseline | baseline value | ratio | target | status | note |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$WORK/results.tsv"
    echo
    echo "Status: \`ok\` meets the target; \`below-target\` misses it; \`drastic\` is below half of a ratio"
    echo "target (or more than 5× off an accuracy tolerance) and fails CI; \`skipped\` was not measured"
    echo "in this run, for the reason given; \`(reference)\` rows are baselines."
    echo
    # Sections measured by hand (before/after comparisons, growth tables) live between these markers in
    # the file being rewritten; they are carried over as they are, never dropped by a rewrite.
    if [ -n "$kept" ]; then
      printf '%s\n\n' "$kept"
    fi
    echo "## How each pair is measured"
    echo
    cat scripts/perf/method.md
    echo
    echo "## Running it"
    echo
    echo '```bash'
    echo "scripts/perf.sh                  # everything, ~25 min (10 of them the soak); rewrites this file"
    echo "scripts/perf.sh --short          # CI mode: a few seconds per pair, no soak, no micro-benchmarks"
    echo "scripts/perf.sh --pin            # servers and load tools on disjoint cores + the scaling pair; writes docs/benchmarks-pinned.md"
    echo "PERF_SERVER_CPUS=0-3 PERF_TOOL_CPUS=4-7 scripts/perf.sh --pin --only sim-node,scaling --out /tmp/pin.md"
    echo "scripts/perf.sh --only sim-node  # one pair (ids in --help; a row id such as cardholders-export names its pair); combine with --out FILE"
    echo "PERF_SOAK_SECONDS=600 scripts/perf.sh --only soak --out /tmp/soak.md"
    echo "scripts/perf.sh --only redis-state,scale-out --out /tmp/scale.md   # the Redis pairs (need redis-server)"
    echo "scripts/perf.sh --only growth --out /tmp/growth.md   # how cost grows: growth-rules, -cardholders, -holds, -waiters (one group: --only growth-rules)"
    echo "dotnet run -c Release --project src/Benchmarks -- --filter '*'   # the micro-benchmarks alone"
    echo "dotnet run -c Release --project src/Benchmarks -- tools          # the macro tools and their options"
    echo '```'
    echo
    echo "## Commands"
    echo
    echo "Run from the repository root after \`dotnet build src/Benchmarks -c Release\`;"
    echo "\`\$WORK\` is the script's scratch folder, ports are the ephemeral ones of this run."
    echo
    echo '```bash'
    awk '!seen[$0]++' "$WORK/commands.txt"
    echo '```'
    if [ -n "${MICRO_MD:-}" ]; then
      echo
      echo "## Micro-benchmarks (BenchmarkDotNet: in-process, 2 warm-up and 3 measured iterations of 250 ms)"
      echo
      echo "Each class has its own baseline (the row with Ratio 1.00, per parameter value where there are"
      echo "parameters); Error is the 99.9% confidence half-width, wide on a shared machine."
      echo
      echo "$MICRO_MD"
    elif [ "$SHORT" -eq 0 ] && [ "${MICRO:-1}" -eq 1 ]; then
      echo
      echo "## Micro-benchmarks"
      echo
      echo "No BenchmarkDotNet results in this run."
    fi
  } >"$out"
  echo
  echo "perf: wrote $out; $failures pair(s) drastic or broken"
  [ "$failures" -eq 0 ]
}
