#!/usr/bin/env bash
# The performance suite: every figure in docs/benchmarks.md comes from a run of this script.
#
#   scripts/perf.sh            full run (~10 s per side, best of 2; sim-node: median of 15 rounds), writes docs/benchmarks.md
#   scripts/perf.sh --short    CI mode (a few seconds per pair); writes $PERF_OUT or
#                              BenchmarkDotNet.Artifacts/perf-short.md, fails only on a drastic
#                              regression (a ratio below half of its target)
#   scripts/perf.sh --pin      servers on one half of the cores, load tools on the other (taskset),
#                              plus the scaling pair (1, 2, 4, 8 server cores); writes docs/benchmarks-pinned.md
# Options: --out FILE, --no-build, --no-micro, --only a,b (pair ids: sim-node, engine-grpc, engine-http, open-model,
#          latency, wallet, cardholders, soak, redis-state, scale-out, scaling, growth (the four growth-* groups) or
#          one growth-* group; an unknown id is refused with exit 2).
# Environment: PERF_SOAK_SECONDS (default 600) for the memory-growth run; PERF_SECONDS,
#          PERF_REPEAT, PERF_SIM_ROUNDS and PERF_MICRO_FILTER to try the script out quickly;
#          with --pin, PERF_SERVER_CPUS and PERF_TOOL_CPUS (taskset lists, e.g. 0-7 and 8-15).
# Each pair runs its two sides in the same run, one after the other, on 127.0.0.1 only.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SHORT=0 BUILD=1 MICRO=1 ONLY="" ONLY_SET=0 OUT="" PIN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --short) SHORT=1 ;;
    --pin) PIN=1 ;;
    --no-build) BUILD=0 ;;
    --no-micro) MICRO=0 ;;
    --only) ONLY=${2:-}; ONLY_SET=1; shift ;;
    --out) OUT=${2:-}; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "perf.sh: unknown option '$1'; allowed: --short, --pin, --out FILE, --no-build, --no-micro, --only ids" >&2; exit 2 ;;
  esac
  shift
done

# --only takes pair ids; a row's id that is not a pair id names the pair that makes it. An unknown id is
# refused before anything starts (it used to run nothing and write an empty table).
PAIR_IDS="sim-node engine-grpc engine-http open-model latency wallet cardholders soak redis-state scale-out scaling growth growth-rules growth-cardholders growth-holds growth-waiters"
if [ "$ONLY_SET" -eq 1 ]; then
  only_ids=""
  IFS=',' read -r -a only_list <<<"$ONLY,"
  for id in "${only_list[@]}"; do
    case "$id" in
      wallet-health|wallet-pay) id=wallet ;;
      cardholders-export) id=cardholders ;;
    esac
    if [ -z "$id" ]; then
      echo "perf.sh: --only: an empty pair id; give comma-separated ids: ${PAIR_IDS// /, }" >&2; exit 2
    fi
    if [[ " $PAIR_IDS " != *" $id "* ]]; then
      echo "perf.sh: --only: unknown pair '$id'; allowed: ${PAIR_IDS// /, } (or a row id: wallet-health, wallet-pay, cardholders-export)" >&2; exit 2
    fi
    only_ids="$only_ids${only_ids:+,}$id"
  done
  ONLY=$only_ids
fi

if [ "$SHORT" -eq 1 ]; then
  SECS=2 WARM=1 REPEAT=2 MODE=short
  OUT=${OUT:-${PERF_OUT:-BenchmarkDotNet.Artifacts/perf-short.md}}
elif [ "$PIN" -eq 1 ]; then
  SECS=10 WARM=2 REPEAT=2 MODE=pinned
  OUT=${OUT:-${PERF_OUT:-docs/benchmarks-pinned.md}}
else
  SECS=10 WARM=2 REPEAT=2 MODE=full
  OUT=${OUT:-${PERF_OUT:-docs/benchmarks.md}}
fi
# Overrides for trying the script out quickly; the docs say which values a run used.
SECS=${PERF_SECONDS:-$SECS} REPEAT=${PERF_REPEAT:-$REPEAT}
# The sim-node pair measures a difference smaller than this machine's drift within a run, so it takes
# the median ratio of many short rounds instead of the best of a few long ones (see pair_sim_node).
if [ "$SHORT" -eq 1 ]; then SIM_ROUNDS=3 SIM_SECS=1 SIM_WARM_SECS=2; else SIM_ROUNDS=15 SIM_SECS=3 SIM_WARM_SECS=10; fi
# The engine-grpc pair starts a client process per side and round, so its rounds are fewer and longer.
# Outside CI each client process warms up until its rate is stable (two one-second windows within 3%,
# at most 60 s) and reports how long that took; CI's short mode keeps a fixed warm-up to stay short.
if [ "$SHORT" -eq 1 ]; then ENGINE_ROUNDS=2 ENGINE_SECS=2 ENGINE_WARMUP=1s; else ENGINE_ROUNDS=7 ENGINE_SECS=4 ENGINE_WARMUP=stable; fi
SIM_ROUNDS=${PERF_SIM_ROUNDS:-$SIM_ROUNDS}
SOAK_SECS=${PERF_SOAK_SECONDS:-600}
for knob in PERF_SECONDS:"$SECS" PERF_REPEAT:"$REPEAT" PERF_SIM_ROUNDS:"$SIM_ROUNDS" PERF_SOAK_SECONDS:"$SOAK_SECS"; do
  if ! [[ ${knob#*:} =~ ^[1-9][0-9]{0,4}$ ]]; then
    echo "perf.sh: ${knob%%:*} must be a whole number from 1 to 99999, got '${knob#*:}'" >&2; exit 2
  fi
done
MICRO_FILTER=${PERF_MICRO_FILTER:-*}

# --pin: the cores this process may use, split in two halves unless PERF_SERVER_CPUS/PERF_TOOL_CPUS say otherwise.
if [ "$PIN" -eq 1 ]; then
  command -v taskset >/dev/null || { echo "perf.sh: --pin needs taskset (Debian util-linux)" >&2; exit 2; }
  allowed=$(taskset -pc $$ | awk -F': ' '{ print $2 }')
  mapfile -t allowed_list < <(for part in ${allowed//,/ }; do if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi; done)
  if [ "${#allowed_list[@]}" -lt 2 ]; then
    echo "perf.sh: --pin needs at least 2 cores (servers on some, load tools on the others); this process may use ${#allowed_list[@]} ($allowed)" >&2; exit 2
  fi
  half=$(( ${#allowed_list[@]} / 2 ))
  PERF_SRV_CPUS=${PERF_SERVER_CPUS:-$(printf '%s\n' "${allowed_list[@]:0:$half}" | paste -sd, -)}
  PERF_TOOL_CPUS=${PERF_TOOL_CPUS:-$(printf '%s\n' "${allowed_list[@]:$half}" | paste -sd, -)}
  for knob in PERF_SERVER_CPUS:"$PERF_SRV_CPUS" PERF_TOOL_CPUS:"$PERF_TOOL_CPUS"; do
    if ! [[ ${knob#*:} =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]]; then
      echo "perf.sh: ${knob%%:*} must be a taskset core list like 0-3 or 0,2,4, got '${knob#*:}'" >&2; exit 2
    fi
  done
  overlap=$(comm -12 <(for part in ${PERF_SRV_CPUS//,/ }; do if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi; done | sort -u) \
                     <(for part in ${PERF_TOOL_CPUS//,/ }; do if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi; done | sort -u) | paste -sd, -)
  if [ -n "$overlap" ]; then
    echo "perf.sh: PERF_SERVER_CPUS ($PERF_SRV_CPUS) and PERF_TOOL_CPUS ($PERF_TOOL_CPUS) share cores $overlap; pinning needs disjoint sets" >&2; exit 2
  fi
  PERF_PIN=1
  export PERF_PIN PERF_SRV_CPUS PERF_TOOL_CPUS
fi

WORK=$(mktemp -d)
. scripts/perf/lib.sh
trap 'perf_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
: >"$WORK/results.tsv"
: >"$WORK/commands.txt"

say() { echo "perf: $*" >&2; }
wants() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
# Record the command as a reader would type it from the repository root.
# logcmd WORD... quotes each word as the shell needs it; logline TEXT takes a line as written.
logcmd() {
  local w line=""
  for w in "$@"; do
    if [[ $w =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then line+="$w "; else line+="'${w//\'/\'\\\'\'}' "; fi
  done
  logline "${line% }"
}
logline() { echo "$*" | sed "s#$WORK#\$WORK#g" >>"$WORK/commands.txt"; }

# ---------------------------------------------------------------- tools
need_pkgs=()
command -v h2load >/dev/null || need_pkgs+=(nghttp2-client)
command -v wrk >/dev/null || need_pkgs+=(wrk)
command -v hey >/dev/null || need_pkgs+=(hey)
command -v jq >/dev/null || need_pkgs+=(jq)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  say "installing ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}"; } >"$WORK/apt.log" 2>&1; then
    say "could not install ${need_pkgs[*]} (see below); pairs that need them are skipped"
    tail -n 5 "$WORK/apt.log" >&2
  fi
fi
has() { command -v "$1" >/dev/null; }

# ---------------------------------------------------------------- build
BDIR=src/Benchmarks/bin/Release/net10.0
B=${PERF_BENCHMARKS_DLL:-$BDIR/PaySim.Benchmarks.dll}
SIM=src/Simulator/bin/Release/net10.0/PaySim.Simulator.dll
WALLET=src/Wallet/bin/Release/net10.0/PaySim.Wallet.dll
if [ "$BUILD" -eq 1 ]; then
  say "building Release"
  if ! dotnet build src/Benchmarks -c Release -nologo -v q >"$WORK/build.log" 2>&1; then
    grep -E 'error' "$WORK/build.log" | sort -u | head -n 20 >&2
    say "build failed"
    exit 1
  fi
fi
[ -f "$B" ] || { say "$B is missing: build src/Benchmarks in Release first"; exit 1; }
TOOLS=$(dotnet "$B" tools)
has_tool() { echo "$TOOLS" | grep -q "^  $1 "; }

# ---------------------------------------------------------------- shared gRPC fixtures
GRPC_PATH=/paysim.issuer.v1.Issuer/Authorize
H2_CONN=2 H2_STREAMS=32                  # 64 calls in flight
CLIENT_CONN=2 CLIENT_CONC=64             # the same for the raw loop and the engine
dotnet "$B" grpc-body --out "$WORK/body.bin" >/dev/null
logcmd dotnet "$B" grpc-body --out "$WORK/body.bin"

# start_bare_grpc [--delay-ms N] — starts the empty-handler server; sets BARE_PID, BARE_URL.
start_bare_grpc() {
  perf_start bare-grpc dotnet "$B" bare-grpc-server --port 0 "$@"; BARE_PID=$PERF_LAST_PID
  BARE_URL=$(perf_wait_listening "$WORK/bare-grpc.log" "$BARE_PID") || return 1
  logcmd dotnet "$B" bare-grpc-server --port 0 "$@"
}

# h2load_run NAME URL — best-of-REPEAT is done by the caller; prints "rps ok total".
h2load_run() {
  local name=$1 url=$2
  local args=(-D "$SECS" --warm-up-time="$WARM" -t "${H2_THREADS:-1}" -c "$H2_CONN" -m "$H2_STREAMS" -d "${H2_BODY:-$WORK/body.bin}"
              -H 'content-type: application/grpc' -H 'te: trailers' "$url$GRPC_PATH")
  logcmd h2load "${args[@]}"
  perf_h2load "$WORK/h2load-$name.txt" "${args[@]}"
}

max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

# ---------------------------------------------------------------- pairs
# h2_measure NAME URL COUNTER_URL JQ — h2load best-of-REPEAT against URL; checks that h2load saw
# every call succeed and that the server's own counter moved by at least as many. Echoes rps.
h2_measure() {
  local name=$1 url=$2 counter_url=$3 jq_expr=$4 proto=${5:-h2} best=0 r rps ok total before after
  local h2flag=--http2-prior-knowledge; [ "$proto" = http1 ] && h2flag=--http1.1
  for r in $(seq 1 "$REPEAT"); do
    before=$(curl -s --max-time 5 "$h2flag" "$counter_url" | jq "$jq_expr")
    read -r rps ok total < <(h2load_run "$name" "$url")
    after=$(curl -s --max-time 5 "$h2flag" "$counter_url" | jq "$jq_expr")
    if [ "$ok" -eq 0 ] || [ "$ok" -ne "$total" ] || [ $((after - before)) -lt "$ok" ]; then
      echo "$name: h2load saw $ok of $total succeed, the server counted $((after - before))" >&2
      echo 0; return 1
    fi
    best=$(max "$best" "$rps")
  done
  echo "$best"
}

# 1. simulator node with 100 idle fault rules vs the bare grpc-dotnet server, both under h2load.
pair_sim_node() {
  local id=sim-node figure="simulator node rps, 100 idle fault rules (h2load -c $H2_CONN -m $H2_STREAMS)"
  if ! has h2load; then perf_row $id "$figure" - "bare grpc-dotnet" - - ">= 90%" skipped "h2load missing"; return; fi
  start_bare_grpc || { perf_row $id "$figure" - "bare grpc-dotnet" - - ">= 90%" error "bare server did not start"; return; }
  if ! perf_grpc_check "$BARE_URL" "$GRPC_PATH" "$WORK/body.bin"; then
    perf_row $id "$figure" - "bare grpc-dotnet" - - ">= 90%" error "bare server: no grpc-status 0"; perf_stop "$BARE_PID"; return
  fi
  if [ ! -f "$SIM" ] || ! has_tool simulator-setup; then
    local bare
    bare=$(h2_measure bare "$BARE_URL" "$BARE_URL/counters" .authorize)
    perf_stop "$BARE_PID"
    perf_row $id "$figure" - "bare grpc-dotnet" "$(perf_fmt "$bare") rps" - ">= 90%" skipped "simulator not built yet (issue 3/4)"
    return
  fi
  if ! start_simulator; then
    perf_stop "$BARE_PID"
    perf_row $id "$figure" - "bare grpc-dotnet" - - ">= 90%" error "simulator did not start: $(tail -n 2 "$WORK/simulator.log" | tr '\n' ' ')"
    return
  fi
  dotnet "$B" idle-rules --count 100 --out "$WORK/idle-rules.json" >/dev/null
  logcmd dotnet "$B" idle-rules --count 100 --out "$WORK/idle-rules.json"
  local setup_args=(--issuer "$SIM_ISSUER" --sms "$SIM_SMS" --control "$SIM_CONTROL" --out "$WORK/sim-body.bin")
  logcmd dotnet "$B" simulator-setup "${setup_args[@]}"
  if ! dotnet "$B" simulator-setup "${setup_args[@]}" >/dev/null 2>"$WORK/sim-setup.err"; then
    perf_stop "$BARE_PID"; perf_stop "$SIM_PID" 3
    perf_row $id "$figure" - "bare grpc-dotnet" - - ">= 90%" error "simulator-setup: $(tail -n 1 "$WORK/sim-setup.err")"
    return
  fi
  if ! perf_grpc_check "$SIM_ISSUER" "$GRPC_PATH" "$WORK/sim-body.bin"; then
    perf_stop "$BARE_PID"; perf_stop "$SIM_PID" 3
    perf_row $id "$figure" - "bare grpc-dotnet" - - ">= 90%" error "simulator: no grpc-status 0"; return
  fi

  # The machine's throughput drifts by tens of percent within a minute (a shared VM), more than the
  # difference measured here. So the sides run in many short rounds, each round all three back to back
  # (bare, simulator without rules, simulator with the 100 rules; reversed every other round), and the
  # figure is the median of the per-round ratios: a drift or burst hits the sides of a round alike.
  # Round 0 warms every server (JIT tiering, thread pool) and is not counted.
  local sim_counter='[.nodes[] | select(.name == "issuer-1") | .methods[] | select(.method == "Authorize") | .calls] | add // 0'
  local r side v b s0 s1 faults applied ok=1 bares=() sims=() sim0s=() ratios=() ratios0=()
  logline "curl -s -X DELETE $SIM_CONTROL/v1/faults; curl -s -X POST $SIM_CONTROL/v1/faults -H 'content-type: application/json' --data-binary @\$WORK/idle-rules.json"
  sim_node_side() {
    case "$1" in
      bare) REPEAT=1 H2_BODY="$WORK/sim-body.bin" h2_measure bare "$BARE_URL" "$BARE_URL/counters" .authorize ;;
      none) curl -s -X DELETE "$SIM_CONTROL/v1/faults" >/dev/null
            REPEAT=1 H2_BODY="$WORK/sim-body.bin" h2_measure sim0 "$SIM_ISSUER" "$SIM_CONTROL/v1/stats" "$sim_counter" http1 ;;
      rules) curl -s -X POST "$SIM_CONTROL/v1/faults" -H 'content-type: application/json' --data-binary "@$WORK/idle-rules.json" >/dev/null
             applied=$(curl -s "$SIM_CONTROL/v1/faults" | jq '.count // (.rules | length) // 0')
             if [ "$applied" != 100 ]; then echo "the simulator holds $applied rules, not 100" >&2; echo 0; return 1; fi
             REPEAT=1 H2_BODY="$WORK/sim-body.bin" h2_measure sim "$SIM_ISSUER" "$SIM_CONTROL/v1/stats" "$sim_counter" http1 ;;
    esac
  }
  for r in $(seq 0 "$SIM_ROUNDS"); do
    local order=(bare none rules) secs=$SIM_SECS
    [ $((r % 2)) -eq 1 ] && order=(rules none bare)
    [ "$r" -eq 0 ] && secs=$SIM_WARM_SECS
    for side in "${order[@]}"; do
      v=$(SECS=$secs WARM=1 sim_node_side "$side") || { ok=0; break 2; }
      case "$side" in bare) b=$v ;; none) s0=$v ;; rules) s1=$v ;; esac
    done
    [ "$r" -eq 0 ] && continue
    bares+=("$b") sim0s+=("$s0") sims+=("$s1")
    ratios+=("$(perf_calc "$s1 / $b")") ratios0+=("$(perf_calc "$s0 / $b")")
  done
  faults=$(curl -s "$SIM_CONTROL/v1/stats" | jq '[.nodes[] | select(.name == "issuer-1") | .methods[] | .faults | to_entries[] | .value] | add // 0')
  perf_stop "$BARE_PID"; perf_stop "$SIM_PID" 3
  local bare sim sim0
  bare=$(perf_quantile 0.5 "${bares[@]}") sim=$(perf_quantile 0.5 "${sims[@]}") sim0=$(perf_quantile 0.5 "${sim0s[@]}")
  if [ "$ok" -eq 0 ]; then
    perf_row $id "$figure" "$(perf_fmt "$sim") rps" "bare grpc-dotnet" "$(perf_fmt "$bare") rps" - ">= 90%" error "not every call succeeded, or the rules did not apply (see the log above)"
    return
  fi
  if [ "${faults:-0}" != 0 ]; then
    perf_row $id "$figure" "$(perf_fmt "$sim") rps" "bare grpc-dotnet" "$(perf_fmt "$bare") rps" - ">= 90%" error "$faults faults fired; the rules were meant to stay idle"
    return
  fi
  local ratio q1 q3 ratio0 pct
  ratio=$(perf_quantile 0.5 "${ratios[@]}") q1=$(perf_quantile 0.25 "${ratios[@]}") q3=$(perf_quantile 0.75 "${ratios[@]}")
  ratio0=$(perf_quantile 0.5 "${ratios0[@]}")
  sim_node_pct() { perf_fmt "$(perf_calc "100 * $1")" 1; }
  perf_row $id "$figure" "$(perf_fmt "$sim") rps" "bare grpc-dotnet" "$(perf_fmt "$bare") rps" "$(sim_node_pct "$ratio")%" ">= 90%" "$(perf_judge_ratio "$ratio" 0.90)" \
    "median of $SIM_ROUNDS rounds of ${SIM_SECS} s per side, each round's ratio taken within the round (quartiles $(sim_node_pct "$q1")–$(sim_node_pct "$q3")%; rps are the sides' medians); without rules: $(sim_node_pct "$ratio0")% of bare ($(perf_fmt "$sim0") rps); each call holds 1 fen on the magic 00 card; 0 faults fired; both servers' counters checked"
}

# start_sim_as NAME ARGS... — one issuer node on ephemeral ports, logging to $WORK/NAME.log;
# sets SX_PID, SX_ISSUER, SX_SMS, SX_CONTROL.
start_sim_as() {
  local name=$1; shift
  local args=(serve --nodes 1 --issuer-port 0 --sms-port 0 --control-port 0 "$@")
  SX_ISSUER="" SX_SMS="" SX_CONTROL=""
  perf_start "$name" dotnet "$SIM" "${args[@]}"; SX_PID=$PERF_LAST_PID
  logcmd dotnet "$SIM" "${args[@]}"
  local i
  for i in $(seq 1 600); do
    if grep -q '^Press Ctrl+C' "$WORK/$name.log" 2>/dev/null; then break; fi
    kill -0 "$SX_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  SX_ISSUER=$(awk '$1 == "issuer-1" { print $2; exit }' "$WORK/$name.log")
  SX_SMS=$(awk '$1 == "sms" { print $2; exit }' "$WORK/$name.log")
  SX_CONTROL=$(awk '$1 == "control" && /HTTP\/1.1/ { print $2; exit }' "$WORK/$name.log")
  [ -n "$SX_ISSUER" ] && [ -n "$SX_SMS" ] && [ -n "$SX_CONTROL" ]
}

# start_simulator — one issuer node on ephemeral ports; sets SIM_PID, SIM_ISSUER, SIM_SMS, SIM_CONTROL.
start_simulator() {
  start_sim_as simulator "$@"; local rc=$?
  SIM_PID=$SX_PID SIM_ISSUER=${SX_ISSUER:-} SIM_SMS=${SX_SMS:-} SIM_CONTROL=${SX_CONTROL:-}
  return $rc
}

# 2. engine driving gRPC vs the raw Grpc.Net.Client loop, same channels and concurrency.
pair_engine_grpc() {
  local id=engine-grpc target=0.90 figure="engine rps driving gRPC"
  start_bare_grpc || { perf_row $id "$figure" - "raw Grpc.Net.Client loop" - - ">= 90%" error "bare server did not start"; return; }
  if ! has_tool engine-grpc-client; then
    perf_stop "$BARE_PID"
    perf_row $id "$figure" - "raw Grpc.Net.Client loop" - - ">= 90%" skipped "load engine API not there yet (issue 5)"
    return
  fi
  # Paired rounds and the median ratio, for the same reason as sim-node: the machine drifts more
  # than the difference measured. Each round runs both clients back to back (the order flips every
  # round); every client process warms up for WARM seconds before it counts.
  local common=(--target "$BARE_URL" --connections "$CLIENT_CONN" --concurrency "$CLIENT_CONC" --duration "${ENGINE_SECS}s" --warmup "$ENGINE_WARMUP")
  local r side out v w raw eng raws=() engs=() ratios=() raw_warm=() eng_warm=() unstable=0 ok=1
  for r in $(seq 1 "$ENGINE_ROUNDS"); do
    local order=(raw-grpc-client engine-grpc-client)
    [ $((r % 2)) -eq 0 ] && order=(engine-grpc-client raw-grpc-client)
    for side in "${order[@]}"; do
      out=$(perf_tool dotnet "$B" "$side" "${common[@]}" 2>"$WORK/$side.err" | tail -n 1)
      v=$(echo "$out" | jq -r '.rps // 0' 2>/dev/null || echo 0)
      if perf_ge 0 "$v"; then ok=0; break 2; fi
      w=$(echo "$out" | jq -r '.warmupSeconds // empty' 2>/dev/null)
      [ "$(echo "$out" | jq -r '.warmupStable' 2>/dev/null)" = false ] && unstable=$((unstable + 1))
      case "$side" in raw-grpc-client) raw=$v; [ -n "$w" ] && raw_warm+=("$w") ;; *) eng=$v; [ -n "$w" ] && eng_warm+=("$w") ;; esac
    done
    raws+=("$raw") engs+=("$eng") ratios+=("$(perf_calc "$eng / $raw")")
  done
  logcmd dotnet "$B" raw-grpc-client "${common[@]}"
  logcmd dotnet "$B" engine-grpc-client "${common[@]}"
  perf_stop "$BARE_PID"
  if [ "$ok" -eq 0 ]; then
    perf_row $id "$figure" - "raw Grpc.Net.Client loop" - - ">= 90%" error "a client reported 0 rps (see $side's log)"
    return
  fi
  raw=$(perf_quantile 0.5 "${raws[@]}") eng=$(perf_quantile 0.5 "${engs[@]}")
  local ratio q1 q3
  ratio=$(perf_quantile 0.5 "${ratios[@]}") q1=$(perf_quantile 0.25 "${ratios[@]}") q3=$(perf_quantile 0.75 "${ratios[@]}")
  local warm_note="each client warmed up ${ENGINE_WARMUP} first"
  if [ ${#raw_warm[@]} -gt 0 ] && [ ${#eng_warm[@]} -gt 0 ]; then
    warm_note="warm-up until two 1 s windows agree within 3%: raw loop $(perf_fmt "$(perf_quantile 0.5 "${raw_warm[@]}")" 1) s, engine $(perf_fmt "$(perf_quantile 0.5 "${eng_warm[@]}")" 1) s (medians over the rounds; $unstable of $((2 * ENGINE_ROUNDS)) never settled within 60 s)"
  fi
  perf_row $id "$figure" "$(perf_fmt "$eng") rps" "raw Grpc.Net.Client loop" "$(perf_fmt "$raw") rps" "$(perf_fmt "$(perf_calc "$ratio * 100")" 1)%" ">= 90%" "$(perf_judge_ratio "$ratio" "$target")" \
    "median of $ENGINE_ROUNDS paired rounds of ${ENGINE_SECS} s per client (quartiles $(perf_fmt "$(perf_calc "100 * $q1")" 1)–$(perf_fmt "$(perf_calc "100 * $q3")" 1)%; rps are the sides' medians); $warm_note"
}

# 3. engine driving HTTP/1.1 GET /health vs wrk and hey on the same endpoint.
HTTP_CONN=16
pair_engine_http() {
  local id=engine-http figure="engine rps, HTTP/1.1 GET /health"
  local pid url
  perf_start bare-http dotnet "$B" bare-http-server --port 0; pid=$PERF_LAST_PID
  url=$(perf_wait_listening "$WORK/bare-http.log" "$pid") || { perf_row $id "$figure" - "wrk / hey" - - ">= hey" error "bare http server did not start"; return; }
  logcmd dotnet "$B" bare-http-server --port 0
  local wrk_rps=0 hey_rps=0 eng=0 raw=0 sock=0 r out
  local hargs=(--url "$url/health" --connections "$HTTP_CONN" --concurrency "$HTTP_CONN" --duration "${SECS}s" --warmup "${WARM}s")
  for r in $(seq 1 "$REPEAT"); do
    if has wrk; then
      perf_tool wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" "$url/health" >"$WORK/wrk.txt" 2>&1
      wrk_rps=$(max "$wrk_rps" "$(perf_wrk_rps "$WORK/wrk.txt")")
    fi
    if has hey; then
      perf_tool hey -z "${SECS}s" -c "$HTTP_CONN" "$url/health" >"$WORK/hey.txt" 2>&1
      hey_rps=$(max "$hey_rps" "$(perf_hey_rps "$WORK/hey.txt")")
    fi
    out=$(perf_tool dotnet "$B" raw-http-client "${hargs[@]}" 2>"$WORK/raw-http.err" | tail -n 1)
    raw=$(max "$raw" "$(echo "$out" | jq -r '.rps // 0' 2>/dev/null || echo 0)")
    if has_tool raw-socket-http-client; then
      out=$(perf_tool dotnet "$B" raw-socket-http-client --url "$url/health" --connections "$HTTP_CONN" --duration "${SECS}s" --warmup "${WARM}s" 2>"$WORK/raw-socket.err" | tail -n 1)
      sock=$(max "$sock" "$(echo "$out" | jq -r '.rps // 0' 2>/dev/null || echo 0)")
    fi
    if has_tool engine-http-client; then
      out=$(perf_tool dotnet "$B" engine-http-client "${hargs[@]}" 2>"$WORK/engine-http.err" | tail -n 1)
      eng=$(max "$eng" "$(echo "$out" | jq -r '.rps // 0' 2>/dev/null || echo 0)")
    fi
  done
  logcmd dotnet "$B" raw-http-client "${hargs[@]}"
  has_tool raw-socket-http-client && logcmd dotnet "$B" raw-socket-http-client --url "$url/health" --connections "$HTTP_CONN" --duration "${SECS}s" --warmup "${WARM}s"
  has wrk && logcmd wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" "$url/health"
  has hey && logcmd hey -z "${SECS}s" -c "$HTTP_CONN" "$url/health"
  perf_stop "$pid"
  BARE_HTTP_WRK=$wrk_rps BARE_HTTP_HEY=$hey_rps
  if ! has_tool engine-http-client; then
    perf_row $id "$figure" - "hey / wrk" "$(perf_fmt "$hey_rps") / $(perf_fmt "$wrk_rps") rps" - ">= hey" skipped "load engine API not there yet (issue 5)"
    return
  fi
  logcmd dotnet "$B" engine-http-client "${hargs[@]}"
  local vs_hey=- vs_wrk=- status=skipped
  if perf_ge "$hey_rps" 1; then vs_hey=$(perf_calc "$eng / $hey_rps"); status=$(perf_judge_ratio "$vs_hey" 1.0); fi
  if perf_ge "$wrk_rps" 1; then vs_wrk=$(perf_fmt "$(perf_calc "100 * $eng / $wrk_rps")" 1)%; fi
  [ "$vs_hey" != - ] && vs_hey=$(perf_fmt "$(perf_calc "100 * $vs_hey")" 1)%
  perf_row $id "$figure" "$(perf_fmt "$eng") rps" "hey / wrk" "$(perf_fmt "$hey_rps") / $(perf_fmt "$wrk_rps") rps" "$vs_hey of hey, $vs_wrk of wrk" ">= hey" "$status" "raw HttpClient loop: $(perf_fmt "$raw") rps; raw-socket HTTP/1.1 loop (no HttpClient): $(perf_fmt "$sock") rps$(perf_ge "$wrk_rps" 1 && echo " = $(perf_fmt "$(perf_calc "100 * $sock / $wrk_rps")" 1)% of wrk")"
}

# 4. open-model rate accuracy at 2,000/s against an unloaded target.
pair_open_model() {
  local id=open-model figure="open model at 2,000/s: achieved rate"
  if ! has_tool engine-open-model; then
    perf_row $id "$figure" - "target 2,000/s" - - "within 1%, 0 dropped" skipped "load engine API not there yet (issue 5)"
    return
  fi
  start_bare_grpc || { perf_row $id "$figure" - "target 2,000/s" - - "within 1%, 0 dropped" error "bare server did not start"; return; }
  local args=(--target "$BARE_URL" --rate 2000 --duration "${SECS}s" --warmup "${WARM}s" --connections "$CLIENT_CONN")
  logcmd dotnet "$B" engine-open-model "${args[@]}"
  local out rate dropped err status
  out=$(perf_tool dotnet "$B" engine-open-model "${args[@]}" 2>"$WORK/open.err" | tail -n 1)
  perf_stop "$BARE_PID"
  rate=$(echo "$out" | jq -r '.rps // 0' 2>/dev/null || echo 0)
  dropped=$(echo "$out" | jq -r '.dropped // -1' 2>/dev/null || echo -1)
  err=$(perf_calc "100 * ($rate - 2000) / 2000")
  status=$(perf_judge_error "$err" 1)
  [ "$dropped" != 0 ] && [ "$status" = ok ] && status=below-target
  perf_row $id "$figure" "$(perf_fmt "$rate" 1)/s, $dropped dropped" "target" "2000/s" "$(perf_fmt "$err" 2)% off" "within 1%, 0 dropped" "$status" ""
}

# 5. latency accuracy: a target with a fixed 20 ms delay, p50 by the engine vs by h2load.
pair_latency() {
  local id=latency figure="p50 against a fixed 20 ms target"
  if ! has h2load; then perf_row $id "$figure" - "h2load" - - "within 1 ms" skipped "h2load missing"; return; fi
  start_bare_grpc --delay-ms 20 || { perf_row $id "$figure" - "h2load" - - "within 1 ms" error "delay server did not start"; return; }
  local n=$(( SECS * 400 ))   # 8 in flight at ~20 ms ≈ 400/s
  local args=(-n "$n" -t 1 -c 1 -m 8 -d "$WORK/body.bin" --log-file="$WORK/h2load-latency.log"
              -H 'content-type: application/grpc' -H 'te: trailers' "$BARE_URL$GRPC_PATH")
  logcmd h2load "${args[@]}"
  perf_tool h2load "${args[@]}" >"$WORK/h2load-latency.txt" 2>&1
  local h2_p50 raw_p50 eng_p50=- out
  h2_p50=$(perf_calc "$(perf_percentile_us "$WORK/h2load-latency.log" 50) / 1000")
  local common=(--target "$BARE_URL" --connections 1 --concurrency 8 --duration "${SECS}s" --warmup "${WARM}s")
  out=$(perf_tool dotnet "$B" raw-grpc-client "${common[@]}" 2>>"$WORK/latency.err" | tail -n 1)
  raw_p50=$(echo "$out" | jq -r '.p50Ms // 0' 2>/dev/null || echo 0)
  logcmd dotnet "$B" raw-grpc-client "${common[@]}"
  if has_tool engine-grpc-client; then
    out=$(perf_tool dotnet "$B" engine-grpc-client "${common[@]}" 2>>"$WORK/latency.err" | tail -n 1)
    eng_p50=$(echo "$out" | jq -r '.p50Ms // 0' 2>/dev/null || echo 0)
    logcmd dotnet "$B" engine-grpc-client "${common[@]}"
  fi
  perf_stop "$BARE_PID"
  if [ "$eng_p50" = - ]; then
    perf_row $id "$figure" "- (raw loop: $(perf_fmt "$raw_p50" 2) ms)" "h2load p50" "$(perf_fmt "$h2_p50" 2) ms" - "within 1 ms" skipped "load engine API not there yet (issue 5)"
    return
  fi
  local diff; diff=$(perf_calc "$eng_p50 - $h2_p50")
  perf_row $id "$figure" "$(perf_fmt "$eng_p50" 2) ms (raw loop $(perf_fmt "$raw_p50" 2) ms)" "h2load p50" "$(perf_fmt "$h2_p50" 2) ms" "$(perf_fmt "$diff" 2) ms" "within 1 ms" "$(perf_judge_error "$diff" 1)" ""
}

# 6. wallet overhead: GET /health and a payment path vs the bare ASP.NET Core endpoint.
pair_wallet() {
  local id=wallet
  if [ ! -f "$WALLET" ] || [ ! -f "$SIM" ] || ! has_tool wallet-setup; then
    perf_row $id "wallet GET /health and POST /payments rps" - "bare ASP.NET Core endpoint" - - "(report)" skipped "wallet not built yet (issue 6)"
    return
  fi
  if ! has wrk; then perf_row $id "wallet rps" - "bare ASP.NET Core endpoint" - - "(report)" skipped "wrk missing"; return; fi
  if ! start_simulator; then
    perf_row $id "wallet rps" - - - - "(report)" error "simulator did not start: $(tail -n 2 "$WORK/simulator.log" | tr '\n' ' ')"; return
  fi
  # The PIN's PBKDF2 work is set, not left to the default (100,000 since issue 16): the figure measures the
  # wallet's integration path, and stays comparable with earlier runs at 10,000.
  local wargs=(--port 0 --issuer "$SIM_ISSUER" --db "$WORK/wallet.db" --mode resilient --hash-iterations 10000)
  local wpid wurl i bpid burl
  perf_start wallet dotnet "$WALLET" "${wargs[@]}"; wpid=$PERF_LAST_PID
  logcmd dotnet "$WALLET" "${wargs[@]}"
  for i in $(seq 1 600); do
    wurl=$(awk '/listening on/ { for (i = 1; i <= NF; i++) if ($i ~ /^http:/) { sub("/$", "", $i); print $i; exit } }' "$WORK/wallet.log")
    [ -n "$wurl" ] && break
    kill -0 "$wpid" 2>/dev/null || break
    sleep 0.1
  done
  perf_start bare-http-w dotnet "$B" bare-http-server --port 0; bpid=$PERF_LAST_PID
  burl=$(perf_wait_listening "$WORK/bare-http-w.log" "$bpid")
  if [ -z "$wurl" ] || [ -z "$burl" ]; then
    perf_stop "$wpid" 3; perf_stop "$bpid"; perf_stop "$SIM_PID" 3
    perf_row $id "wallet rps" - - - - "(report)" error "wallet or bare server did not start: $(tail -n 2 "$WORK/wallet.log" | tr '\n' ' ')"; return
  fi
  local sargs=(--wallet "$wurl" --sms "$SIM_SMS" --lua "$WORK/pay.lua")
  logcmd dotnet "$B" wallet-setup "${sargs[@]}"
  if ! dotnet "$B" wallet-setup "${sargs[@]}" >/dev/null 2>"$WORK/wallet-setup.err"; then
    perf_stop "$wpid" 3; perf_stop "$bpid"; perf_stop "$SIM_PID" 3
    perf_row $id "wallet rps" - - - - "(report)" error "wallet-setup: $(tail -n 1 "$WORK/wallet-setup.err")"; return
  fi

  local w_h=0 b_h=0 w_hey=0 b_hey=0 w_pay=0 b_pay=0 bad=0 r n calls_before calls_after pay_requests=0
  local sim_counter='[.nodes[] | .methods[] | select(.method == "Authorize") | .calls] | add // 0'
  for r in $(seq 1 "$REPEAT"); do
    perf_tool wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" "$wurl/health" >"$WORK/wrk-wallet-health.txt" 2>&1
    w_h=$(max "$w_h" "$(perf_wrk_rps "$WORK/wrk-wallet-health.txt")")
    perf_tool wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" "$burl/health" >"$WORK/wrk-bare-health.txt" 2>&1
    b_h=$(max "$b_h" "$(perf_wrk_rps "$WORK/wrk-bare-health.txt")")
    if has hey; then
      perf_tool hey -z "${SECS}s" -c "$HTTP_CONN" "$wurl/health" >"$WORK/hey-wallet.txt" 2>&1
      w_hey=$(max "$w_hey" "$(perf_hey_rps "$WORK/hey-wallet.txt")")
      perf_tool hey -z "${SECS}s" -c "$HTTP_CONN" "$burl/health" >"$WORK/hey-bare.txt" 2>&1
      b_hey=$(max "$b_hey" "$(perf_hey_rps "$WORK/hey-bare.txt")")
    fi
    calls_before=$(curl -s "$SIM_CONTROL/v1/stats" | jq "$sim_counter")
    perf_tool wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" -s "$WORK/pay.lua" "$wurl" -- "run-$r" >"$WORK/wrk-wallet-pay.txt" 2>&1
    calls_after=$(curl -s "$SIM_CONTROL/v1/stats" | jq "$sim_counter")
    n=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$WORK/wrk-wallet-pay.txt"); bad=$((bad + ${n:-0}))
    pay_requests=$(awk '/requests in/ { print $1 }' "$WORK/wrk-wallet-pay.txt")
    if [ $((calls_after - calls_before)) -lt "${pay_requests:-0}" ]; then bad=$((bad + pay_requests - calls_after + calls_before)); fi
    w_pay=$(max "$w_pay" "$(perf_wrk_rps "$WORK/wrk-wallet-pay.txt")")
    perf_tool wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" -s "$WORK/pay.lua" "$burl" -- "run-$r" >"$WORK/wrk-bare-pay.txt" 2>&1
    b_pay=$(max "$b_pay" "$(perf_wrk_rps "$WORK/wrk-bare-pay.txt")")
  done
  logcmd wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" "$wurl/health"
  logcmd wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" "$burl/health"
  has hey && logcmd hey -z "${SECS}s" -c "$HTTP_CONN" "$wurl/health"
  has hey && logcmd hey -z "${SECS}s" -c "$HTTP_CONN" "$burl/health"
  logcmd wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" -s "$WORK/pay.lua" "$wurl" -- run-1
  logcmd wrk -t 1 -c "$HTTP_CONN" -d "${SECS}s" -s "$WORK/pay.lua" "$burl" -- run-1
  perf_stop "$wpid" 3; perf_stop "$bpid"; perf_stop "$SIM_PID" 3

  local hey_note="hey: wallet $(perf_fmt "$w_hey") rps vs bare $(perf_fmt "$b_hey") rps"
  if perf_ge 0 "$b_h" || perf_ge 0 "$w_h"; then
    perf_row wallet-health "wallet GET /health (wrk)" "$(perf_fmt "$w_h") rps" "bare ASP.NET Core /health" "$(perf_fmt "$b_h") rps" - "(report)" error "wrk measured nothing"
  else
    perf_row wallet-health "wallet GET /health (wrk)" "$(perf_fmt "$w_h") rps" "bare ASP.NET Core /health" "$(perf_fmt "$b_h") rps" \
      "$(perf_fmt "$(perf_calc "100 * $w_h / $b_h")" 1)%" "(report)" ok "$hey_note"
  fi
  if [ "$bad" -ne 0 ] || perf_ge 0 "$b_pay" || perf_ge 0 "$w_pay"; then
    perf_row wallet-pay "wallet POST /payments (wrk)" "$(perf_fmt "$w_pay") rps" "bare ASP.NET Core POST" "$(perf_fmt "$b_pay") rps" - "(report)" error "$bad payments failed or never reached the issuer"
  else
    perf_row wallet-pay "wallet POST /payments (wrk)" "$(perf_fmt "$w_pay") rps" "bare ASP.NET Core POST" "$(perf_fmt "$b_pay") rps" \
      "$(perf_fmt "$(perf_calc "100 * $w_pay / $b_pay")" 1)%" "(report)" ok "resilient mode; each payment checks the PIN (PBKDF2, 10,000 iterations), authorizes and captures on one simulator node without faults, and writes SQLite; every payment reached the issuer (Authorize counter checked)"
  fi
}

# 7. simulator memory with 100,000,000 cardholders (derived on demand), and per 1,000,000 holds.
pair_cardholder_memory() {
  local id=cardholders
  if ! has_tool cardholder-memory; then
    perf_row $id "simulator memory, 100,000,000 cardholders" - - - - "< 100 MB" skipped "cardholder registry not built yet (issue 3)"
    return
  fi
  local holds=1000000; [ "$SHORT" -eq 1 ] && holds=100000
  logcmd dotnet "$B" cardholder-memory --count 100000000 --holds "$holds"
  local out heap ws per status
  out=$(dotnet "$B" cardholder-memory --count 100000000 --holds "$holds" 2>"$WORK/cardholders.err" | tail -n 1)
  heap=$(echo "$out" | jq -r '.heapMb // empty' 2>/dev/null)
  if [ -z "$heap" ]; then
    perf_row $id "simulator memory, 100,000,000 cardholders" - - - - "< 100 MB" error "cardholder-memory: $(tail -n 2 "$WORK/cardholders.err" | tr '\n' ' ')"
    return
  fi
  ws=$(echo "$out" | jq -r .workingSetMb)
  per=$(echo "$out" | jq -r .mbPerMillionHolds)
  status=ok; perf_ge "$ws" 100 && status=below-target
  perf_row $id "simulator memory, 100,000,000 cardholders" "$(perf_fmt "$heap" 1) MB heap, $(perf_fmt "$ws" 0) MB working set" \
    "per 1,000,000 holds" "$(perf_fmt "$per" 0) MB" - "< 100 MB" $status \
    "registry + issuer state (cards derived on demand), managed heap after full GC and the process working set; then $(echo "$out" | jq -r .holds) holds on 10,000 cards (accounts opened on first hold)"

  # The export streams generated cards (derived in parallel blocks): rows per second to /dev/null.
  local rows=10000000; [ "$SHORT" -eq 1 ] && rows=1000000
  logcmd dotnet "$SIM" cardholders --count "$rows" --seed 42
  local t0 t1 secs rate
  t0=$(date +%s.%N)
  if ! dotnet "$SIM" cardholders --count "$rows" --seed 42 > /dev/null 2>"$WORK/export.err"; then
    perf_row cardholders-export "cardholders export, CSV to /dev/null" - - - - ">= 500000 rows/s" error "$(tail -n 2 "$WORK/export.err" | tr '\n' ' ')"
    return
  fi
  t1=$(date +%s.%N)
  secs=$(perf_calc "$t1 - $t0")
  rate=$(perf_calc "$rows / $secs")
  status=ok; perf_ge "$rate" 500000 || status=below-target
  perf_row cardholders-export "cardholders export, CSV to /dev/null" "$(perf_fmt "$rate") rows/s" "rows" "$rows" - ">= 500000 rows/s" $status \
    "$(perf_fmt "$secs" 2) s wall including process start, $(nproc) cores"
}

# 8. memory growth of a long run.
pair_soak() {
  local id=soak
  if [ "$SHORT" -eq 1 ]; then
    perf_row $id "memory growth of a long run" - - - - "< 10% after warm-up" skipped "--short: a soak needs minutes"
    return
  fi
  if ! has_tool engine-soak; then
    perf_row $id "memory growth of a long run" - - - - "< 10% after warm-up" skipped "load engine API not there yet (issue 5)"
    return
  fi
  start_bare_grpc || { perf_row $id "memory growth of a long run" - - - - "< 10% after warm-up" error "bare server did not start"; return; }
  local warm=$(( SOAK_SECS >= 300 ? 60 : SOAK_SECS / 5 ))
  local args=(--target "$BARE_URL" --rate 1000 --duration "${SOAK_SECS}s" --warmup "${warm}s" --sample 2s --connections "$CLIENT_CONN")
  logcmd dotnet "$B" engine-soak "${args[@]}"
  say "soak: ${SOAK_SECS}s at 1,000/s"
  local out ws heap status
  out=$(perf_tool dotnet "$B" engine-soak "${args[@]}" 2>"$WORK/soak.err" | tail -n 1)
  perf_stop "$BARE_PID"
  ws=$(echo "$out" | jq -r '.workingSetGrowthPct // empty' 2>/dev/null)
  heap=$(echo "$out" | jq -r '.heapGrowthPct // empty' 2>/dev/null)
  if [ -z "$ws" ]; then
    perf_row $id "memory growth of a long run" - - - - "< 10% after warm-up" error "engine-soak: $(tail -n 2 "$WORK/soak.err" | tr '\n' ' ')"
    return
  fi
  status=$(awk -v g="$ws" 'BEGIN { print (g < 10 ? "ok" : (g < 50 ? "below-target" : "drastic")) }')
  perf_row $id "engine working set, ${SOAK_SECS}s open model at 1,000/s" \
    "$(perf_fmt "$(echo "$out" | jq -r .workingSetLastMb)" 1) MB (heap $(perf_fmt "$(echo "$out" | jq -r .heapLastMb)" 1) MB)" \
    "first $(perf_fmt "$(echo "$out" | jq -r .windowSeconds)")s after warm-up" \
    "$(perf_fmt "$(echo "$out" | jq -r .workingSetFirstMb)" 1) MB (heap $(perf_fmt "$(echo "$out" | jq -r .heapFirstMb)" 1) MB)" \
    "$(perf_fmt "$ws" 1)% (heap $(perf_fmt "$heap" 1)%)" "< 10% after warm-up" "$status" \
    "$(echo "$out" | jq -r '"\(.ok) ok, \(.fail) failed, \(.dropped) dropped"')$([ "$SOAK_SECS" -lt 600 ] && echo "; shorter than the issue's 10 minutes: PERF_SOAK_SECONDS=600 for that")"
}

# ---------------------------------------------------------------- Redis state and scale-out (issue 9)
SIM_AUTH_COUNTER='[.nodes[] | select(.name == "issuer-1") | .methods[] | select(.method == "Authorize") | .calls] | add // 0'


# start_redis — a throw-away redis-server on a free loopback port without persistence;
# sets REDIS_PID, REDIS_PORT, REDIS_URL (redis://127.0.0.1:PORT). Up to 3 ports are tried.
start_redis() {
  local try i
  for try in 1 2 3; do
    REDIS_PORT=$(perf_free_port) || return 1
    perf_start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --protected-mode no
    REDIS_PID=$PERF_LAST_PID
    for i in $(seq 1 100); do
      if perf_redis_ping "$REDIS_PORT"; then
        REDIS_URL=redis://127.0.0.1:$REDIS_PORT
        logcmd redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --protected-mode no
        return 0
      fi
      kill -0 "$REDIS_PID" 2>/dev/null || break
      sleep 0.1
    done
    perf_stop "$REDIS_PID" 2
  done
  return 1
}

# sim_body ISSUER SMS CONTROL OUT — binds the magic 00 card through that simulator and writes the
# h2load Authorize body (as in sim-node, without rules).
sim_body() {
  local args=(--issuer "$1" --sms "$2" --control "$3" --out "$4")
  logcmd dotnet "$B" simulator-setup "${args[@]}"
  dotnet "$B" simulator-setup "${args[@]}" >/dev/null 2>"$WORK/sim-setup.err"
}

# redis_pair_failed ID FIGURE MEASURED BASE_NAME BASE OK INVARIANTS — for the two Redis pairs: writes
# the error row and succeeds when a run failed or the Redis ledger is broken after it.
redis_pair_failed() {
  local id=$1 figure=$2 measured=$3 base_name=$4 base=$5 ok=$6 inv=$7 why=""
  if [ "$ok" -eq 0 ] || perf_ge 0 "$measured" || perf_ge 0 "$base"; then
    why="not every call succeeded (see the log above)"
  elif [ "$inv" != "true 0" ]; then
    why="Redis ledger after the run (moneyConserved duplicateCharges): $inv"
  else
    return 1
  fi
  perf_row "$id" "$figure" "$(perf_fmt "$measured") rps" "$base_name" "$(perf_fmt "$base") rps" - "(report)" error "$why"
}

# 9. one simulator node with Redis state vs one with memory state, same body, same run.
pair_redis_state() {
  local id=redis-state figure="simulator node rps with \`--state redis://\` (h2load -c $H2_CONN -m $H2_STREAMS)" base="memory state"
  if ! has h2load; then perf_row $id "$figure" - "$base" - - "(report)" skipped "h2load missing"; return; fi
  if ! has redis-server; then perf_row $id "$figure" - "$base" - - "(report)" skipped "redis-server missing (scripts/install-deps.sh installs it)"; return; fi
  if [ ! -f "$SIM" ] || ! has_tool simulator-setup; then perf_row $id "$figure" - "$base" - - "(report)" skipped "simulator not built"; return; fi
  start_redis || { perf_row $id "$figure" - "$base" - - "(report)" error "redis-server did not start: $(tail -n 2 "$WORK/redis.log" | tr '\n' ' ')"; return; }
  local mem_pid mem_issuer mem_control red_pid red_issuer red_control
  if ! start_sim_as sim-memory; then
    perf_stop "$SX_PID" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "simulator did not start: $(tail -n 2 "$WORK/sim-memory.log" | tr '\n' ' ')"; return
  fi
  mem_pid=$SX_PID mem_issuer=$SX_ISSUER mem_control=$SX_CONTROL
  if ! sim_body "$SX_ISSUER" "$SX_SMS" "$SX_CONTROL" "$WORK/memory-body.bin"; then
    perf_stop "$mem_pid" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "simulator-setup (memory): $(tail -n 1 "$WORK/sim-setup.err")"; return
  fi
  if ! start_sim_as sim-redis --state "$REDIS_URL" --state-cluster perf-redis-state; then
    perf_stop "$SX_PID" 3; perf_stop "$mem_pid" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "simulator with Redis state did not start: $(tail -n 2 "$WORK/sim-redis.log" | tr '\n' ' ')"; return
  fi
  red_pid=$SX_PID red_issuer=$SX_ISSUER red_control=$SX_CONTROL
  if ! sim_body "$SX_ISSUER" "$SX_SMS" "$SX_CONTROL" "$WORK/redis-body.bin"; then
    perf_stop "$red_pid" 3; perf_stop "$mem_pid" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "simulator-setup (Redis): $(tail -n 1 "$WORK/sim-setup.err")"; return
  fi
  if ! perf_grpc_check "$mem_issuer" "$GRPC_PATH" "$WORK/memory-body.bin" || ! perf_grpc_check "$red_issuer" "$GRPC_PATH" "$WORK/redis-body.bin"; then
    perf_stop "$red_pid" 3; perf_stop "$mem_pid" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "a simulator answered without grpc-status 0"; return
  fi

  # Alternate the sides (memory, Redis, memory, ...); both processes stay up, the idle one costs nothing.
  local mem=0 red=0 r v ok=1 c0 c1 calls_before calls_after cmds=0 calls=0 s0 s1 script_calls=0 script_usec=0
  for r in $(seq 1 "$REPEAT"); do
    v=$(REPEAT=1 H2_BODY="$WORK/memory-body.bin" h2_measure memory "$mem_issuer" "$mem_control/v1/stats" "$SIM_AUTH_COUNTER" http1) || { ok=0; break; }
    mem=$(max "$mem" "$v")
    c0=$(perf_redis_commands "$REDIS_PORT"); s0=$(perf_redis_script_usec "$REDIS_PORT"); calls_before=$(curl -s --max-time 5 "$red_control/v1/stats" | jq "$SIM_AUTH_COUNTER")
    v=$(REPEAT=1 H2_BODY="$WORK/redis-body.bin" h2_measure redis "$red_issuer" "$red_control/v1/stats" "$SIM_AUTH_COUNTER" http1) || { ok=0; break; }
    c1=$(perf_redis_commands "$REDIS_PORT"); s1=$(perf_redis_script_usec "$REDIS_PORT"); calls_after=$(curl -s --max-time 5 "$red_control/v1/stats" | jq "$SIM_AUTH_COUNTER")
    red=$(max "$red" "$v")
    if [ -n "$c0" ] && [ -n "$c1" ] && [ -n "$s0" ] && [ -n "$s1" ]; then
      cmds=$((cmds + c1 - c0)); calls=$((calls + calls_after - calls_before))
      script_calls=$((script_calls + ${s1% *} - ${s0% *})); script_usec=$((script_usec + ${s1#* } - ${s0#* }))
    fi
  done
  local inv; inv=$(perf_invariants "$red_control")
  perf_stop "$red_pid" 3; perf_stop "$mem_pid" 3; perf_stop "$REDIS_PID"
  redis_pair_failed $id "$figure" "$red" "$base" "$mem" "$ok" "$inv" && return
  local per_cmd="" us_mem us_red
  us_mem=$(perf_calc "1000000 / $mem"); us_red=$(perf_calc "1000000 / $red")
  [ "$calls" -gt 0 ] && per_cmd="; $(perf_fmt "$(perf_calc "$cmds / $calls")" 1) Redis commands per call (INFO total_commands_processed: a Lua script counts 1 plus the commands it runs)"
  # Where the added time goes: redis-server's own time in the scripts (INFO commandstats, the commands they run included).
  [ "$calls" -gt 0 ] && [ "$script_calls" -gt 0 ] && per_cmd="$per_cmd; redis-server's time in scripts: $(perf_fmt "$(perf_calc "$script_usec / $calls")" 1) µs per call ($(perf_fmt "$(perf_calc "$script_calls / $calls")" 2) scripts per call, INFO commandstats)"
  perf_row $id "$figure" "$(perf_fmt "$red") rps" "$base" "$(perf_fmt "$mem") rps" "$(perf_fmt "$(perf_calc "100 * $red / $mem")" 1)%" "(report)" ok \
    "per call, 2-core time: $(perf_fmt "$us_red" 0) µs with Redis vs $(perf_fmt "$us_mem" 0) µs in memory (+$(perf_fmt "$(perf_calc "$us_red - $us_mem")" 0) µs), redis-server on the same cores$per_cmd; every call a real 1-fen hold on the magic 00 card; counters and the Redis ledger's invariants checked"
}

# h2_concurrent NAME BODY URL_A COUNTER_A URL_B COUNTER_B — one h2load per process at the same time,
# each with the -c/-m of h2load_run; each checked like h2_measure. Sets H2C_A, H2C_B (rps); call it
# directly, not in $(...), so that perf_start records the h2load pids for the cleanup.
h2_concurrent() {
  local name=$1 body=$2 ua=$3 ca=$4 ub=$5 cb=$6 pa pb ba bb aa ab rps_a ok_a total_a rps_b ok_b total_b
  local args=(-D "$SECS" --warm-up-time="$WARM" -t 1 -c "$H2_CONN" -m "$H2_STREAMS" -d "$body" -H 'content-type: application/grpc' -H 'te: trailers')
  ba=$(curl -s --max-time 5 "$ca" | jq "$SIM_AUTH_COUNTER"); bb=$(curl -s --max-time 5 "$cb" | jq "$SIM_AUTH_COUNTER")
  logcmd h2load "${args[@]}" "$ua$GRPC_PATH"
  logcmd h2load "${args[@]}" "$ub$GRPC_PATH"
  logline "# the two h2load above run at the same time, one per simulator process"
  perf_start "h2load-$name-a" h2load "${args[@]}" "$ua$GRPC_PATH"; pa=$PERF_LAST_PID
  perf_start "h2load-$name-b" h2load "${args[@]}" "$ub$GRPC_PATH"; pb=$PERF_LAST_PID
  wait "$pa"; wait "$pb"
  aa=$(curl -s --max-time 5 "$ca" | jq "$SIM_AUTH_COUNTER"); ab=$(curl -s --max-time 5 "$cb" | jq "$SIM_AUTH_COUNTER")
  read -r rps_a ok_a total_a < <(perf_h2load_parse "$WORK/h2load-$name-a.log")
  read -r rps_b ok_b total_b < <(perf_h2load_parse "$WORK/h2load-$name-b.log")
  if [ "$ok_a" -eq 0 ] || [ "$ok_a" -ne "$total_a" ] || [ $((aa - ba)) -lt "$ok_a" ] \
     || [ "$ok_b" -eq 0 ] || [ "$ok_b" -ne "$total_b" ] || [ $((ab - bb)) -lt "$ok_b" ]; then
    echo "$name: h2load saw $ok_a of $total_a and $ok_b of $total_b succeed, the servers counted $((aa - ba)) and $((ab - bb))" >&2
    H2C_A=0 H2C_B=0; return 1
  fi
  H2C_A=$rps_a H2C_B=$rps_b
}

# 10. throughput of 2 simulator processes on one Redis vs 1, on this machine.
pair_scale_out() {
  local id=scale-out figure="Authorize rps, 2 simulator processes on one Redis (one h2load -c $H2_CONN -m $H2_STREAMS each)" base="1 process (one h2load, same -c -m)"
  if ! has h2load; then perf_row $id "$figure" - "$base" - - "(report)" skipped "h2load missing"; return; fi
  if ! has redis-server; then perf_row $id "$figure" - "$base" - - "(report)" skipped "redis-server missing (scripts/install-deps.sh installs it)"; return; fi
  if [ ! -f "$SIM" ] || ! has_tool simulator-setup; then perf_row $id "$figure" - "$base" - - "(report)" skipped "simulator not built"; return; fi
  start_redis || { perf_row $id "$figure" - "$base" - - "(report)" error "redis-server did not start: $(tail -n 2 "$WORK/redis.log" | tr '\n' ' ')"; return; }
  local shared=(--state "$REDIS_URL" --state-cluster perf-scale-out --seed 42)
  local a_pid a_issuer a_control b_pid b_issuer b_control a_cpus="" b_cpus="" nsrv
  if [ "$PERF_PIN" -eq 1 ]; then
    # Disjoint halves of the server cores, one per process; redis-server keeps the whole server set.
    nsrv=$(perf_cpu_list "$PERF_SRV_CPUS" | wc -l)
    if [ "$nsrv" -ge 2 ]; then
      a_cpus=$(perf_cpu_take $((nsrv / 2)) "$PERF_SRV_CPUS")
      b_cpus=$(perf_cpu_list "$PERF_SRV_CPUS" | tail -n +$((nsrv / 2 + 1)) | head -n $((nsrv / 2)) | paste -sd, -)
    fi
  fi
  if ! PERF_CPUS=$a_cpus start_sim_as sim-a "${shared[@]}"; then
    perf_stop "$SX_PID" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "simulator A did not start: $(tail -n 2 "$WORK/sim-a.log" | tr '\n' ' ')"; return
  fi
  a_pid=$SX_PID a_issuer=$SX_ISSUER a_control=$SX_CONTROL
  if ! PERF_CPUS=$b_cpus start_sim_as sim-b "${shared[@]}"; then
    perf_stop "$SX_PID" 3; perf_stop "$a_pid" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "simulator B did not start: $(tail -n 2 "$WORK/sim-b.log" | tr '\n' ' ')"; return
  fi
  b_pid=$SX_PID b_issuer=$SX_ISSUER b_control=$SX_CONTROL
  logline "# the command above runs twice: processes A and B, one issuer between them"
  # The card is bound once, through A; B knows the token from Redis, so the same body serves both.
  if ! sim_body "$a_issuer" "$(awk '$1 == "sms" { print $2; exit }' "$WORK/sim-a.log")" "$a_control" "$WORK/scale-body.bin"; then
    perf_stop "$b_pid" 3; perf_stop "$a_pid" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "simulator-setup: $(tail -n 1 "$WORK/sim-setup.err")"; return
  fi
  logline "curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @\$WORK/scale-body.bin -D - -o /dev/null $b_issuer$GRPC_PATH   # B authorizes the card bound through A"
  if ! perf_grpc_check "$a_issuer" "$GRPC_PATH" "$WORK/scale-body.bin" || ! perf_grpc_check "$b_issuer" "$GRPC_PATH" "$WORK/scale-body.bin"; then
    perf_stop "$b_pid" 3; perf_stop "$a_pid" 3; perf_stop "$REDIS_PID"
    perf_row $id "$figure" - "$base" - - "(report)" error "A or B did not authorize the card bound through A (no grpc-status 0)"; return
  fi

  local one=0 two=0 two_a=0 two_b=0 r v ra rb ok=1
  for r in $(seq 1 "$REPEAT"); do
    v=$(REPEAT=1 H2_BODY="$WORK/scale-body.bin" h2_measure scale-1 "$a_issuer" "$a_control/v1/stats" "$SIM_AUTH_COUNTER" http1) || { ok=0; break; }
    one=$(max "$one" "$v")
    h2_concurrent scale-2 "$WORK/scale-body.bin" "$a_issuer" "$a_control/v1/stats" "$b_issuer" "$b_control/v1/stats" || { ok=0; break; }
    ra=$H2C_A rb=$H2C_B
    v=$(perf_calc "$ra + $rb")
    if ! perf_ge "$two" "$v"; then two=$v two_a=$ra two_b=$rb; fi
  done
  local inv; inv=$(perf_invariants "$b_control")
  perf_stop "$b_pid" 3; perf_stop "$a_pid" 3; perf_stop "$REDIS_PID"
  redis_pair_failed $id "$figure" "$two" "$base" "$one" "$ok" "$inv" && return
  perf_row $id "$figure" "$(perf_fmt "$two") rps ($(perf_fmt "$two_a") + $(perf_fmt "$two_b"))" "$base" "$(perf_fmt "$one") rps" "$(perf_fmt "$(perf_calc "$two / $one")" 2)×" "(report)" ok \
    "$(if [ -n "$a_cpus" ]; then echo "ratio = growth 1 → 2 processes with twice the calls in flight; A on cores $a_cpus, B on cores $b_cpus (disjoint), redis-server on $PERF_SRV_CPUS, h2load on $PERF_TOOL_CPUS"; else echo "ratio = growth 1 → 2 processes on this machine, with twice the calls in flight; the 2 simulators, both h2load and redis-server share the same cores, which bounds the growth (far from 2× expected): on separate machines each process brings its own cores"; fi); all calls hold 1 fen on the one card bound through A (one Redis account key); counters and invariants checked"
}

# 11. (--pin only) how the simulator node and the bare server grow with their cores: each gets the
# first 1, 2, 4 and 8 of the server cores in turn (as many as there are); h2load runs on the tool cores
# with one thread per tool core (at most 4) and two connections per thread.
pair_scaling() {
  local id=scaling
  if [ "$PERF_PIN" -ne 1 ]; then perf_row $id "rps by server cores" - "bare grpc-dotnet" - - "(report)" skipped "needs --pin: servers and load tools on separate cores"; return; fi
  if ! has h2load; then perf_row $id "rps by server cores" - "bare grpc-dotnet" - - "(report)" skipped "h2load missing"; return; fi
  if [ ! -f "$SIM" ] || ! has_tool simulator-setup; then perf_row $id "rps by server cores" - "bare grpc-dotnet" - - "(report)" skipped "simulator not built"; return; fi
  local nsrv ntool threads n cpus bare sim sim_counter
  nsrv=$(perf_cpu_list "$PERF_SRV_CPUS" | wc -l); ntool=$(perf_cpu_list "$PERF_TOOL_CPUS" | wc -l)
  threads=$(( ntool < 4 ? ntool : 4 ))
  sim_counter='[.nodes[] | select(.name == "issuer-1") | .methods[] | select(.method == "Authorize") | .calls] | add // 0'
  dotnet "$B" idle-rules --count 100 --out "$WORK/idle-rules.json" >/dev/null
  for n in 1 2 4 8; do
    [ "$n" -le "$nsrv" ] || break
    cpus=$(perf_cpu_take "$n" "$PERF_SRV_CPUS")
    local figure="rps on $n server core(s) (taskset -c $cpus); h2load -t $threads -c $((2 * threads)) -m $H2_STREAMS on cores $PERF_TOOL_CPUS"
    PERF_CPUS=$cpus start_bare_grpc || { perf_row "$id-$n" "$figure" - "bare grpc-dotnet" - - "(report)" error "bare server did not start"; continue; }
    bare=$(H2_THREADS=$threads H2_CONN=$((2 * threads)) h2_measure "bare-$n" "$BARE_URL" "$BARE_URL/counters" .authorize)
    perf_stop "$BARE_PID"
    if ! PERF_CPUS=$cpus start_simulator; then
      perf_stop "$SIM_PID" 3
      perf_row "$id-$n" "$figure" - "bare grpc-dotnet" "$(perf_fmt "$bare") rps" - "(report)" error "simulator did not start"; continue
    fi
    if ! sim_body "$SIM_ISSUER" "$SIM_SMS" "$SIM_CONTROL" "$WORK/scaling-body.bin" \
       || ! curl -s -f -X POST "$SIM_CONTROL/v1/faults" -H 'content-type: application/json' --data-binary "@$WORK/idle-rules.json" >/dev/null; then
      perf_stop "$SIM_PID" 3
      perf_row "$id-$n" "$figure" - "bare grpc-dotnet" "$(perf_fmt "$bare") rps" - "(report)" error "simulator setup or the 100 idle rules failed"; continue
    fi
    sim=$(H2_THREADS=$threads H2_CONN=$((2 * threads)) H2_BODY="$WORK/scaling-body.bin" h2_measure "sim-$n" "$SIM_ISSUER" "$SIM_CONTROL/v1/stats" "$sim_counter" http1)
    perf_stop "$SIM_PID" 3
    if perf_ge 0 "$bare" || perf_ge 0 "$sim"; then
      perf_row "$id-$n" "$figure" "$(perf_fmt "$sim") rps" "bare grpc-dotnet" "$(perf_fmt "$bare") rps" - "(report)" error "not every call succeeded (see the log above)"; continue
    fi
    perf_row "$id-$n" "$figure" "$(perf_fmt "$sim") rps" "bare grpc-dotnet" "$(perf_fmt "$bare") rps" "$(perf_fmt "$(perf_calc "100 * $sim / $bare")" 1)%" "(report)" ok \
      "simulator node with 100 idle rules, each call a 1-fen hold on the magic 00 card; best of $REPEAT; read down the rows for growth with cores"
  done
  logcmd dotnet "$B" idle-rules --count 100 --out "$WORK/idle-rules.json"
  logline "# scaling: the servers above ran under taskset -c <first n server cores>, h2load under taskset -c $PERF_TOOL_CPUS"
}

# ---------------------------------------------------------------- how cost grows (issue 20)
# Four groups of rows, growth-<group>-<size>: the same figure at several sizes, each with its ratio to
# the smallest size. Machine-wide drift moves every size alike only within one round, so the sizes of
# a group run back to back, in the reverse order every other round, and each keeps its best.
# --short keeps a tiny form of each group (fewer sizes, one round) so CI stays within a few minutes.
# --short: two rounds of 1 s per size (after h2load's 1 s warm-up), so the order still alternates.
GROWTH_REPEAT=$REPEAT GROWTH_SECS=$SECS; [ "$SHORT" -eq 1 ] && GROWTH_SECS=1
GROWTH_RULE_SLICE=2000   # rules per POST: 10,000 idle rules are 1.16 MB of JSON, over the control plane's 1 MiB body limit

# growth_rss PID — the process's resident set (VmRSS) in MiB, from /proc; 0 when unreadable.
growth_rss() { awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# growth_x VALUE BASE — "1.23×", or "-" when BASE is 0.
growth_x() { if perf_ge 0 "$2"; then echo -; else echo "$(perf_fmt "$(perf_calc "$1 / $2")" 2)×"; fi; }
# growth_n N — N with thousands separators (10,000).
growth_n() { echo "$1" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }
# growth_order ROUND SIZE... — the sizes, ascending in odd rounds, descending in even ones.
growth_order() { local r=$1; shift; if [ $((r % 2)) -eq 1 ]; then printf '%s\n' "$@"; else printf '%s\n' "$@" | tac; fi; }
# growth_warm ISSUER CONTROL BODY NAME — one uncounted h2load run of SIM_WARM_SECS (10 s; JIT tiering, thread pool) before the first figure.
# --short skips it (each h2load run still warms up for 1 s): CI checks that the groups run, not their figures.
growth_warm() { [ "$SHORT" -eq 1 ] && return 0; SECS=$SIM_WARM_SECS REPEAT=1 H2_BODY=$3 h2_measure "$4-warm" "$1" "$2/v1/stats" "$SIM_AUTH_COUNTER" http1 >/dev/null; }
# growth_h2 NAME ISSUER CONTROL BODY — one counted h2load run of GROWTH_SECS; echoes rps, fails like h2_measure.
growth_h2() { SECS=$GROWTH_SECS REPEAT=1 H2_BODY=$4 h2_measure "$1" "$2" "$3/v1/stats" "$SIM_AUTH_COUNTER" http1; }

# 12. Authorize rps of one simulator node with 0, 10, 100, 1,000 and 10,000 idle fault rules.
pair_growth_rules() {
  local id=growth-rules sizes=(0 10 100 1000 10000)
  [ "$SHORT" -eq 1 ] && sizes=(0 1000)
  local top=${sizes[-1]} fig="simulator node Authorize rps with N idle fault rules (h2load -c $H2_CONN -m $H2_STREAMS)"
  if ! has h2load; then perf_row $id "$fig" - "0 rules" - - "(report)" skipped "h2load missing"; return; fi
  if [ ! -f "$SIM" ] || ! has_tool simulator-setup || ! has_tool idle-rules; then perf_row $id "$fig" - "0 rules" - - "(report)" skipped "simulator not built"; return; fi
  if ! start_sim_as growth-rules; then
    perf_stop "$SX_PID" 3; perf_row $id "$fig" - "0 rules" - - "(report)" error "simulator did not start: $(tail -n 2 "$WORK/growth-rules.log" | tr '\n' ' ')"; return
  fi
  local pid=$SX_PID issuer=$SX_ISSUER control=$SX_CONTROL
  if ! sim_body "$SX_ISSUER" "$SX_SMS" "$SX_CONTROL" "$WORK/growth-rules-body.bin" || ! perf_grpc_check "$issuer" "$GRPC_PATH" "$WORK/growth-rules-body.bin"; then
    perf_stop "$pid" 3; perf_row $id "$fig" - "0 rules" - - "(report)" error "simulator-setup: $(tail -n 1 "$WORK/sim-setup.err")"; return
  fi
  dotnet "$B" idle-rules --count "$top" --out "$WORK/growth-rules.json" >/dev/null
  logcmd dotnet "$B" idle-rules --count "$top" --out "$WORK/growth-rules.json"
  # The first N rules of the file, in slices of GROWTH_RULE_SLICE (one POST each: POST adds to what is applied).
  local n k
  for n in "${sizes[@]}"; do
    for ((k = 0; k < n; k += GROWTH_RULE_SLICE)); do
      jq -c ".[$k:$(( k + GROWTH_RULE_SLICE < n ? k + GROWTH_RULE_SLICE : n ))]" "$WORK/growth-rules.json" >"$WORK/growth-rules-$n-$(printf '%05d' "$k").json"
    done
  done
  logline "jq -c '.[K:K+$GROWTH_RULE_SLICE]' \$WORK/growth-rules.json > \$WORK/slice.json   # for N rules: K = 0, $GROWTH_RULE_SLICE, … below N (the last slice ends at N); $(growth_n "$top") rules are $(growth_n "$(wc -c <"$WORK/growth-rules.json")") bytes, over the 1 MiB body limit"
  logline "curl -s -X DELETE $control/v1/faults; curl -s -f -X POST $control/v1/faults -H 'content-type: application/json' --data-binary @\$WORK/slice.json   # one POST per slice; then GET /v1/faults must count N"
  # growth_rules_apply N — clears the rules and applies the first N; fails unless the simulator holds exactly N.
  growth_rules_apply() {
    local f applied
    curl -s -f -X DELETE "$control/v1/faults" >/dev/null || return 1
    for f in "$WORK/growth-rules-$1-"*.json; do
      [ -e "$f" ] || continue
      curl -s -f -X POST "$control/v1/faults" -H 'content-type: application/json' --data-binary "@$f" >/dev/null || { echo "POST /v1/faults of $f failed" >&2; return 1; }
    done
    applied=$(curl -s "$control/v1/faults" | jq '.count // (.rules | length) // 0')
    [ "$applied" = "$1" ] || { echo "the simulator holds $applied rules, not $1" >&2; return 1; }
  }
  growth_warm "$issuer" "$control" "$WORK/growth-rules-body.bin" growth-rules || true
  declare -A best=()
  local r v ok=1 why=""
  for n in "${sizes[@]}"; do best[$n]=0; done
  for r in $(seq 1 "$GROWTH_REPEAT"); do
    for n in $(growth_order "$r" "${sizes[@]}"); do
      growth_rules_apply "$n" || { ok=0 why="applying $n rules failed (see the log above)"; break 2; }
      v=$(growth_h2 "growth-rules-$n" "$issuer" "$control" "$WORK/growth-rules-body.bin") || { ok=0 why="not every call succeeded with $n rules"; break 2; }
      best[$n]=$(max "${best[$n]}" "$v")
    done
  done
  local faults; faults=$(curl -s "$control/v1/stats" | jq '[.nodes[] | select(.name == "issuer-1") | .methods[] | .faults | to_entries[] | .value] | add // 0')
  perf_stop "$pid" 3
  if [ "$ok" -eq 1 ] && [ "${faults:-0}" != 0 ]; then ok=0 why="$faults faults fired; the rules were meant to stay idle"; fi
  local base=${best[0]} note
  for n in "${sizes[@]}"; do
    if [ "$ok" -eq 0 ]; then perf_row "$id-$n" "Authorize rps, $(growth_n "$n") idle rules" - "0 rules" - - "(report)" error "$why"; continue; fi
    note="one simulator node, rules applied through POST /v1/faults ($GROWTH_RULE_SLICE per POST) and counted by GET /v1/faults; best of $GROWTH_REPEAT rounds of ${GROWTH_SECS} s after a warm-up, sizes in alternating order; 0 faults fired; counters checked"
    perf_row "$id-$n" "Authorize rps, $(growth_n "$n") idle rules" "$(perf_fmt "${best[$n]}") rps" "0 rules" "$(perf_fmt "$base") rps" \
      "$(perf_fmt "$(perf_calc "100 * ${best[$n]} / $base")" 1)%" "(report)" ok "$note"
  done
  [ "$SHORT" -eq 1 ] && perf_row "$id-10000" "Authorize rps, 10,000 idle rules" - "0 rules" - - "(report)" skipped "--short: 10, 100 and 10,000 rules only in the full run (applying 10,000 rules takes seconds here)"
  return 0
}

# 13. simulator memory and Authorize rps with 10^3, 10^5, 10^6 and 10^8 cardholders (derived on demand).
# One simulator process per size, all up at once (the idle ones cost nothing), measured in alternating rounds.
pair_growth_cardholders() {
  local id=growth-cardholders sizes=(1000 100000 1000000 100000000)
  [ "$SHORT" -eq 1 ] && sizes=(1000 100000000)
  local fig="simulator with N cardholders: Authorize rps, resident set, managed heap"
  if ! has h2load; then perf_row $id "$fig" - - - - "(report)" skipped "h2load missing"; return; fi
  if [ ! -f "$SIM" ] || ! has_tool simulator-setup || ! has_tool cardholder-memory; then perf_row $id "$fig" - - - - "(report)" skipped "simulator not built"; return; fi
  declare -A rps=() rss=() heap=() err=() pids=() issuers=() controls=()
  local n r v out
  for n in "${sizes[@]}"; do
    # The heap the registry and issuer state take for N cardholders, in a process of its own (after a full GC).
    logcmd dotnet "$B" cardholder-memory --count "$n" --holds 0
    out=$(dotnet "$B" cardholder-memory --count "$n" --holds 0 2>"$WORK/growth-ch-mem.err" | tail -n 1)
    heap[$n]=$(echo "$out" | jq -r '.heapMb // empty' 2>/dev/null)
    [ -n "${heap[$n]}" ] || { err[$n]="cardholder-memory: $(tail -n 1 "$WORK/growth-ch-mem.err")"; continue; }
    if ! start_sim_as "growth-ch-$n" --cardholders "$n"; then
      perf_stop "$SX_PID" 3; err[$n]="simulator did not start: $(tail -n 2 "$WORK/growth-ch-$n.log" | tr '\n' ' ')"; continue
    fi
    pids[$n]=$SX_PID issuers[$n]=$SX_ISSUER controls[$n]=$SX_CONTROL
    if ! sim_body "$SX_ISSUER" "$SX_SMS" "$SX_CONTROL" "$WORK/growth-ch-$n-body.bin"; then
      err[$n]="simulator-setup: $(tail -n 1 "$WORK/sim-setup.err")"; continue
    fi
    # Resident set once the magic card is bound, before any load: every Authorize adds a hold, so a
    # figure taken after h2load would grow with the calls made, not with the cardholders.
    sleep 1; rss[$n]=$(growth_rss "${pids[$n]}")
    growth_warm "${issuers[$n]}" "${controls[$n]}" "$WORK/growth-ch-$n-body.bin" "growth-ch-$n" || true
    rps[$n]=0
  done
  for r in $(seq 1 "$GROWTH_REPEAT"); do
    for n in $(growth_order "$r" "${sizes[@]}"); do
      [ -z "${err[$n]:-}" ] || continue
      v=$(growth_h2 "growth-ch-$n" "${issuers[$n]}" "${controls[$n]}" "$WORK/growth-ch-$n-body.bin") || { err[$n]="not every call succeeded"; continue; }
      rps[$n]=$(max "${rps[$n]}" "$v")
    done
  done
  for n in "${sizes[@]}"; do [ -n "${pids[$n]:-}" ] && perf_stop "${pids[$n]}" 3; done
  local s=${sizes[0]}
  for n in "${sizes[@]}"; do
    if [ -n "${err[$n]:-}" ] || [ -n "${err[$s]:-}" ]; then
      perf_row "$id-$n" "$(growth_n "$n") cardholders" - "$(growth_n "$s") cardholders" - - "(report)" error "${err[$n]:-the smallest size failed: ${err[$s]:-}}"; continue
    fi
    perf_row "$id-$n" "$(growth_n "$n") cardholders: Authorize rps; simulator RSS; registry heap" \
      "$(perf_fmt "${rps[$n]}") rps; $(perf_fmt "${rss[$n]}" 0) MB RSS; $(perf_fmt "${heap[$n]}" 2) MB heap" \
      "$(growth_n "$s") cardholders" "$(perf_fmt "${rps[$s]}") rps; $(perf_fmt "${rss[$s]}" 0) MB RSS; $(perf_fmt "${heap[$s]}" 2) MB heap" \
      "rps $(growth_x "${rps[$n]}" "${rps[$s]}"), RSS $(growth_x "${rss[$n]}" "${rss[$s]}")" "(report)" ok \
      "one simulator process per size (\`serve --nodes 1 --cardholders N\`), all up at once, measured in alternating rounds; RSS = VmRSS after start and binding the magic 00 card, before load; heap = cardholder-memory's managed-heap growth for the registry and issuer state after a full GC (own process); rps best of $GROWTH_REPEAT rounds of ${GROWTH_SECS} s after a warm-up, counters checked"
  done
}

# 14. managed heap per hold with 10^6 and 10^7 holds (10^5 and 10^6 in --short).
pair_growth_holds() {
  local id=growth-holds sizes=(1000000 10000000)
  [ "$SHORT" -eq 1 ] && sizes=(100000 1000000)
  if ! has_tool cardholder-memory; then perf_row $id "heap per hold" - - - - "(report)" skipped "cardholder-memory tool missing"; return; fi
  declare -A per=() mb=() ws=() held=() err=()
  local n out avail need s=${sizes[0]}
  for n in "${sizes[@]}"; do
    # Measure only what fits: the estimate from the smaller size (bytes per hold × N, twice for the
    # working set) must stay under half of the memory available now.
    if [ -n "${per[$s]:-}" ] && [ "$n" != "$s" ]; then
      avail=$(awk '/^MemAvailable:/ { print $2 * 1024 }' /proc/meminfo)
      need=$(perf_calc "2 * ${per[$s]} * $n")
      if perf_ge "$need" "$(perf_calc "$avail / 2")"; then
        err[$n]="skipped: about $(perf_fmt "$(perf_calc "$need / 1073741824")" 1) GiB needed, $(perf_fmt "$(perf_calc "$avail / 1073741824")" 1) GiB available"; continue
      fi
    fi
    logcmd dotnet "$B" cardholder-memory --count 100000000 --holds "$n"
    out=$(dotnet "$B" cardholder-memory --count 100000000 --holds "$n" 2>"$WORK/growth-holds.err" | tail -n 1)
    held[$n]=$(echo "$out" | jq -r '.holds // empty' 2>/dev/null)
    if [ -z "${held[$n]}" ] || [ "${held[$n]}" = 0 ]; then err[$n]="cardholder-memory: $(tail -n 1 "$WORK/growth-holds.err")"; continue; fi
    mb[$n]=$(echo "$out" | jq -r .holdsMb)
    ws[$n]=$(echo "$out" | jq -r .workingSetAfterHoldsMb)
    per[$n]=$(perf_calc "${mb[$n]} * 1048576 / ${held[$n]}")
  done
  for n in "${sizes[@]}"; do
    if [ -z "${per[$n]:-}" ]; then
      local st=error; [[ ${err[$n]:-} == skipped:* ]] && st=skipped
      perf_row "$id-$n" "$(growth_n "$n") holds: heap per hold" - "$(growth_n "$s") holds" - - "(report)" "$st" "${err[$n]:-no figure}"; continue
    fi
    perf_row "$id-$n" "$(growth_n "$n") holds: heap per hold" \
      "$(perf_fmt "${per[$n]}" 0) B/hold ($(perf_fmt "${mb[$n]}" 0) MB heap, $(perf_fmt "${ws[$n]}" 0) MB working set)" \
      "$(growth_n "$s") holds" "$(perf_fmt "${per[$s]:-0}" 0) B/hold" "$(growth_x "${per[$n]}" "${per[$s]:-0}")" "(report)" ok \
      "cardholder-memory: $(growth_n "${held[$n]}") approved holds on 10,000 cards (accounts opened on first hold), each with a merchant, order and idempotency key as an Authorize makes them; managed heap after a full compacting GC, less the heap before; working set of the tool process"
  done
}

# 15. concurrent WaitForMessage waiters on the SMS inbox: simulator memory and delivery latency.
pair_growth_waiters() {
  local id=growth-waiters sizes=(100 1000 10000)
  [ "$SHORT" -eq 1 ] && sizes=(100 1000)
  if [ ! -f "$SIM" ] || ! has_tool sms-waiters; then perf_row $id "SMS waiters" - - - - "(report)" skipped "simulator or sms-waiters tool not built"; return; fi
  declare -A p50=() pmax=() grow=() kb=() before=() ready=() err=()
  local n out s=${sizes[0]} args
  for n in "${sizes[@]}"; do
    # A fresh simulator per size: the resident set of one that already held more waiters keeps that memory.
    if ! start_sim_as "growth-waiters-$n"; then
      perf_stop "$SX_PID" 3; err[$n]="simulator did not start: $(tail -n 2 "$WORK/growth-waiters-$n.log" | tr '\n' ' ')"; continue
    fi
    args=(--sms "$SX_SMS" --control "$SX_CONTROL" --waiters "$n" --probes 20 --timeout 120s)
    logcmd dotnet "$B" sms-waiters "${args[@]}" --pid PID
    out=$(perf_tool dotnet "$B" sms-waiters "${args[@]}" --pid "$SX_PID" 2>"$WORK/growth-waiters.err" | tail -n 1)
    perf_stop "$SX_PID" 3
    p50[$n]=$(echo "$out" | jq -r '.deliveryP50Ms // empty' 2>/dev/null)
    [ -n "${p50[$n]}" ] || { err[$n]="sms-waiters: $(tail -n 1 "$WORK/growth-waiters.err")"; continue; }
    pmax[$n]=$(echo "$out" | jq -r .deliveryMaxMs)
    before[$n]=$(echo "$out" | jq -r '.rssBeforeMb // 0')
    grow[$n]=$(perf_calc "$(echo "$out" | jq -r '.rssWaitingMb // 0') - ${before[$n]}")
    kb[$n]=$(echo "$out" | jq -r '.kbPerWaiter // 0')
    ready[$n]=$(echo "$out" | jq -r .readySeconds)
  done
  logline "# sms-waiters --pid PID: the simulator's process id (serve above); the tool reads its VmRSS from /proc/PID/status"
  for n in "${sizes[@]}"; do
    if [ -z "${p50[$n]:-}" ] || [ -z "${p50[$s]:-}" ]; then
      perf_row "$id-$n" "$(growth_n "$n") SMS waiters" - "$(growth_n "$s") waiters" - - "(report)" error "${err[$n]:-the smallest size failed: ${err[$s]:-}}"; continue
    fi
    perf_row "$id-$n" "$(growth_n "$n") SMS waiters: delivery p50; simulator RSS growth" \
      "$(perf_fmt "${p50[$n]}" 2) ms; +$(perf_fmt "${grow[$n]}" 1) MB ($(perf_fmt "${kb[$n]}" 1) KB/waiter)" \
      "$(growth_n "$s") waiters" "$(perf_fmt "${p50[$s]}" 2) ms; +$(perf_fmt "${grow[$s]}" 1) MB" \
      "p50 $(growth_x "${p50[$n]}" "${p50[$s]}"), RSS growth $(growth_x "${grow[$n]}" "${grow[$s]}")" "(report)" ok \
      "N concurrent Inbox.WaitForMessage calls, one phone each, all counted in by /v1/stats in $(perf_fmt "${ready[$n]}" 1) s; 20 messages sent one after another (SmsGateway.Send) to waiting phones, timed Send → the waiter's reply (max $(perf_fmt "${pmax[$n]}" 1) ms); RSS (VmRSS) from $(perf_fmt "${before[$n]}" 0) MB before the waiters to while they wait; fresh simulator per size"
  done
}

say "mode: $MODE, ${SECS}s per side after ${WARM}s warm-up, best of $REPEAT"
[ "$PERF_PIN" -eq 1 ] && say "pinned: servers on cores $PERF_SRV_CPUS, load tools on cores $PERF_TOOL_CPUS (taskset)"
wants sim-node && pair_sim_node
wants engine-grpc && pair_engine_grpc
wants engine-http && pair_engine_http
wants open-model && pair_open_model
wants latency && pair_latency
wants wallet && pair_wallet
wants cardholders && pair_cardholder_memory
wants soak && pair_soak
wants redis-state && pair_redis_state
wants scale-out && pair_scale_out
wants scaling && pair_scaling
# growth-*: how cost grows with size (issue 20); --only growth runs the four groups.
wants_growth() { wants "$1" || wants growth; }
growth_timed() { local t=$SECONDS; "$@"; say "${1#pair_} took $((SECONDS - t)) s"; }
wants_growth growth-rules && growth_timed pair_growth_rules
wants_growth growth-cardholders && growth_timed pair_growth_cardholders
wants_growth growth-holds && growth_timed pair_growth_holds
wants_growth growth-waiters && growth_timed pair_growth_waiters

# ---------------------------------------------------------------- micro-benchmarks
# micro_target ID CLASS METHOD BASELINE PARAMS TARGET_NS FIGURE ISSUE LABEL — a row from BenchmarkDotNet's
# JSON: the mean and allocation of METHOD against its baseline, judged against "< TARGET_NS, 0 B".
micro_target() {
  local id=$1 class=$2 method=$3 baseline=$4 params=$5 target=$6 figure=$7 issue=$8 label=$9 json m b alloc
  json=$(find "$WORK/bdn/results" -name "*.$class-report-full-compressed.json" | head -n 1)
  [ -n "$json" ] || return 0
  m=$(jq -r --arg m "$method" --arg p "$params" '.Benchmarks[] | select(.Method == $m and .Parameters == $p) | .Statistics.Mean' "$json")
  b=$(jq -r --arg m "$baseline" --arg p "$params" '.Benchmarks[] | select(.Method == $m and .Parameters == $p) | .Statistics.Mean' "$json")
  alloc=$(jq -r --arg m "$method" --arg p "$params" '.Benchmarks[] | select(.Method == $m and .Parameters == $p) | .Memory.BytesAllocatedPerOperation' "$json")
  [ -n "$m" ] && [ -n "$b" ] || return 0
  local status=ok
  if ! perf_ge "$target" "$m" || [ "$alloc" != 0 ]; then status=below-target; fi
  perf_row "$id" "$figure" "$(perf_fmt "$m" 1) ns, $alloc B" "$label" "$(perf_fmt "$b" 1) ns" "$(perf_fmt "$(perf_calc "$m / $b")" 2)×" \
    "< $target ns, 0 B ($issue)" "$status" "BenchmarkDotNet, in-process, 3 iterations of 250 ms; table below"
}

MICRO_MD=""
if [ "$MICRO" -eq 1 ] && [ "$SHORT" -eq 0 ]; then
  say "micro-benchmarks (BenchmarkDotNet, short job)"
  logcmd dotnet "$B" --filter "$MICRO_FILTER" --job short --iterationTime 250 --warmupCount 2 --exporters github json --artifacts "$WORK/bdn"
  if (cd "$ROOT" && dotnet "$B" --filter "$MICRO_FILTER" --job short --iterationTime 250 --warmupCount 2 --exporters github json --artifacts "$WORK/bdn") >"$WORK/bdn.log" 2>&1; then
    MICRO_MD=$(perf_micro_markdown "$WORK/bdn/results")
    micro_target fault-decision FaultDecisionBenchmarks Decide NoRules 'Rules=100' 200 "fault decision, 100 idle rules" "issue 4" "no rules"
    micro_target engine-record RecordPathBenchmarks EngineScheduleAndRecord StopwatchAndArray '' 1000 "engine schedule + record per iteration" "issue 5" "Stopwatch + array"
  else
    say "micro-benchmarks failed:"; tail -n 20 "$WORK/bdn.log" >&2
    perf_row micro "BenchmarkDotNet suite" - - - - - error "see the log above"
  fi
fi

# ---------------------------------------------------------------- report
. scripts/perf/report.sh
perf_report "$OUT"
