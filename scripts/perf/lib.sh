# Helpers for scripts/perf.sh: processes, ports, parsing and the results table.
# Sourced, not run. Every process started here is tracked by pid and ended by pid.

PERF_PIDS=()

# Pinning (perf.sh --pin): the servers under test run on PERF_SRV_CPUS and the load tools on
# PERF_TOOL_CPUS (taskset core lists such as 0-7), so neither side steals the other's cores.
# Unpinned (the default) everything shares every core. PERF_CPUS, when set, overrides the list
# for one command (the scaling pair gives a server 1, 2, 4 or 8 cores).
PERF_PIN=${PERF_PIN:-0} PERF_SRV_CPUS=${PERF_SRV_CPUS:-} PERF_TOOL_CPUS=${PERF_TOOL_CPUS:-}

# perf_cpus_for CMD — the core list CMD gets: load tools (h2load, wrk, hey) the tool cores, all else the server cores.
perf_cpus_for() {
  case "${1##*/}" in h2load|wrk|hey) echo "$PERF_TOOL_CPUS" ;; *) echo "$PERF_SRV_CPUS" ;; esac
}

# perf_pinned CMD... — runs CMD on its cores when pinning is on, as it is otherwise.
perf_pinned() {
  local cpus=${PERF_CPUS:-$(perf_cpus_for "$1")}
  if [ "$PERF_PIN" -eq 1 ] && [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi
}

# perf_tool CMD... — a load-generating client (h2load, wrk, hey or one of the benchmark clients) on the tool cores.
perf_tool() { PERF_CPUS=${PERF_CPUS:-$PERF_TOOL_CPUS} perf_pinned "$@"; }

# perf_cpu_list LIST — expands a taskset list (0-3,6) into one core number per line.
perf_cpu_list() {
  local part a b
  for part in ${1//,/ }; do
    if [[ $part == *-* ]]; then a=${part%-*} b=${part#*-}; seq "$a" "$b"; else echo "$part"; fi
  done
}

# perf_cpu_take N LIST — the first N cores of LIST as a taskset list (0,1,2).
perf_cpu_take() { perf_cpu_list "$2" | head -n "$1" | paste -sd, -; }

# perf_start NAME CMD... — runs CMD in the background, output to $WORK/NAME.log; sets PERF_LAST_PID.
# Not meant for $(...): the pid must be recorded in this shell for the cleanup on exit.
perf_start() {
  local name=$1; shift
  # Started directly (taskset execs the command), never through a shell function: $! must be the
  # process itself, or perf_stop would end a wrapper and leave the server running.
  local cpus=${PERF_CPUS:-$(perf_cpus_for "$1")}
  if [ "$PERF_PIN" -eq 1 ] && [ -n "$cpus" ]; then
    taskset -c "$cpus" "$@" >"$WORK/$name.log" 2>&1 &
  else
    "$@" >"$WORK/$name.log" 2>&1 &
  fi
  PERF_LAST_PID=$!
  PERF_PIDS+=("$PERF_LAST_PID")
}

# perf_stop PID [GRACE_SECONDS] — SIGTERM, then wait (default 10 s), then SIGKILL; only that pid.
perf_stop() {
  local pid=$1 grace=${2:-10} i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 $((grace * 10))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

perf_stop_all() {
  local pid
  for pid in "${PERF_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null && perf_stop "$pid"
  done
  PERF_PIDS=()
}

# perf_wait_listening LOG PID — waits (max 60 s) for the tools' "listening URL" line; echoes URL.
perf_wait_listening() {
  local log=$1 pid=$2 url i
  for i in $(seq 1 600); do
    url=$(awk '/^listening /{print $2; exit}' "$log" 2>/dev/null)
    if [ -n "$url" ]; then echo "$url"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "process exited: $(tail -n 3 "$log" | tr '\n' ' ')" >&2; return 1; }
    sleep 0.1
  done
  echo "timed out waiting for $log" >&2
  return 1
}

# perf_wait_http URL PID [HTTP2] — waits (max 60 s) until URL answers at all.
perf_wait_http() {
  local url=$1 pid=$2 h2=${3:-} i
  for i in $(seq 1 600); do
    if curl -s -o /dev/null --max-time 1 ${h2:+--http2-prior-knowledge} "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# perf_free_port — a port nobody listens on right now (the tools that can take port 0 do).
perf_free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( (RANDOM % 20000) + 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# perf_grpc_check URL PATH BODY — one real call with curl; succeeds only on grpc-status 0.
perf_grpc_check() {
  local url=$1 path=$2 body=$3 headers
  headers=$(curl -s --http2-prior-knowledge --max-time 10 -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary "@$body" -D - -o /dev/null "$url$path" | tr -d '\r')
  if echo "$headers" | grep -qx 'grpc-status: 0'; then return 0; fi
  echo "gRPC check failed for $url$path: $(echo "$headers" | grep -E '^(HTTP|grpc-)' | tr '\n' ' ')" >&2
  return 1
}

# h2load wrappers: perf_h2load LOGFILE ARGS... — prints "rps succeeded total"
perf_h2load() {
  local out=$1; shift
  perf_tool h2load "$@" >"$out" 2>&1 || true
  perf_h2load_parse "$out"
}

# perf_h2load_parse FILE — "rps succeeded total" from h2load's output (for h2load runs started with perf_start).
perf_h2load_parse() {
  awk '/^finished in/ { gsub(",", "", $4); rps = $4 }
       /^requests:/   { total = $2; for (i = 1; i <= NF; i++) if ($(i+1) ~ /^succeeded/) ok = $i }
       END { printf "%s %s %s\n", (rps == "" ? 0 : rps), (ok == "" ? 0 : ok), (total == "" ? 0 : total) }' "$1"
}

# perf_redis_ping PORT — succeeds when a Redis on 127.0.0.1:PORT answers PING (bash /dev/tcp: no redis-cli needed).
perf_redis_ping() {
  local port=$1 line
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'PING\r\n' >&3
    read -r -t 2 line <&3 || exit 1
    [ "${line%$'\r'}" = +PONG ]
  ) 2>/dev/null
}

# perf_redis_info PORT SECTION — the lines of one INFO section (CR stripped), or nothing when Redis does not answer.
perf_redis_info() {
  local port=$1 section=$2 line
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'INFO %s\r\n' "$section" >&3
    # A read loop up to the section's closing empty line, not cat or awk: Redis keeps the socket open.
    while read -r -t 2 line <&3; do
      line=${line%$'\r'}
      [ -z "$line" ] && break
      printf '%s\n' "$line"
    done
  ) 2>/dev/null
}

# perf_redis_commands PORT — total commands the Redis has processed (INFO stats), or empty.
perf_redis_commands() {
  perf_redis_info "$1" stats | sed -n 's/^total_commands_processed://p'
}

# perf_redis_script_usec PORT — "CALLS USEC" of the scripts Redis has run (INFO commandstats: EVALSHA and EVAL
# added; usec is the time redis-server spent in them, the commands they ran included), or empty.
perf_redis_script_usec() {
  perf_redis_info "$1" commandstats | awk -F'[=,]' '/^cmdstat_eval(sha)?:/ { c += $2; u += $4 } /^cmdstat_/ { any = 1 }
    END { if (any) print c + 0, u + 0 }'
}

# perf_percentile_us FILE PCT — percentile of column 3 (µs) of an h2load --log-file.
perf_percentile_us() {
  local file=$1 pct=$2
  cut -f3 "$file" | sort -n | awk -v p="$pct" '{ v[NR] = $1 } END {
    if (NR == 0) { print 0; exit }
    i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print v[i] }'
}

perf_wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
perf_hey_rps() { awk '/Requests\/sec:/ { print $2 }' "$1"; }

# Float helpers (awk): perf_calc 'EXPR' — e.g. perf_calc "$a / $b"
perf_calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }
perf_fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, v }'; }
perf_ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
# perf_quantile Q V... — the Q-quantile (0.5 = median) of the values, interpolated between ranks.
perf_quantile() {
  local q=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v q="$q" '{ v[NR] = $1 }
    END { if (NR == 0) { print 0; exit } p = 1 + q * (NR - 1); i = int(p); f = p - i
          printf "%.6g\n", (i >= NR ? v[NR] : v[i] + f * (v[i + 1] - v[i])) }'
}

# perf_row ID FIGURE VALUE BASELINE_LABEL BASELINE_VALUE RATIO TARGET STATUS NOTE
# STATUS: ok | below-target | drastic | error | skipped
perf_row() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$WORK/results.tsv"
  printf '  %-14s %-12s %s\n' "$1" "$8" "$3 vs $4 $5 (ratio $6, target $7) $9" >&2
}

# perf_judge_ratio RATIO TARGET — ok, below-target, or drastic (below half of the target).
perf_judge_ratio() {
  local ratio=$1 target=$2
  if perf_ge "$ratio" "$target"; then echo ok
  elif perf_ge "$ratio" "$(perf_calc "$target / 2")"; then echo below-target
  else echo drastic; fi
}

# perf_judge_error ERROR TOLERANCE — |error| within tolerance: ok; within 5x: below-target; else drastic.
perf_judge_error() {
  local err=$1 tol=$2
  awk -v e="$err" -v t="$tol" 'BEGIN { if (e < 0) e = -e;
    if (e <= t) print "ok"; else if (e <= 5 * t) print "below-target"; else print "drastic" }'
}

# perf_micro_markdown DIR — BenchmarkDotNet's GitHub reports as one section: the environment once,
# then one table per benchmark class under its name.
perf_micro_markdown() {
  local dir=$1 first=1 f name
  for f in $(find "$dir" -name '*-report-github.md' 2>/dev/null | sort); do
    name=$(basename "$f" -report-github.md); name=${name##*.}
    if [ "$first" -eq 1 ]; then
      echo '```'
      awk '/^```/ { n++; next } n == 1' "$f"
      echo '```'
      first=0
    fi
    echo
    echo "### $name"
    echo
    grep '^|' "$f" | sed "s/&#39;/'/g; s/&quot;/\"/g"
  done
}

# perf_invariants CONTROL_URL — prints "true 0" when the ledger conserves money with no duplicate
# charge; otherwise what it said, or that it did not answer. The Redis ledger checks every
# authorization in one script (hundreds of thousands after a pair), so it gets minutes, not seconds.
perf_invariants() {
  local reply
  reply=$(curl -s --max-time 300 "$1/v1/invariants") || { echo "no answer from $1/v1/invariants within 300 s"; return; }
  echo "$reply" | jq -r '"\(.moneyConserved) \(.duplicateCharges)"' 2>/dev/null || echo "unreadable reply: ${reply:0:200}"
}
