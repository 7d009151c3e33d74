#!/usr/bin/env bash
# Where redis-server's time per Authorize goes on `--state redis://`: the simulator's own hold script (read from
# src/Simulator/State/Redis/RedisLedger.cs, so it follows the code) and cut-down variants of it, each driven by
# redis-benchmark with the same 18 arguments against a throw-away redis-server on a free loopback port; per
# variant, redis-server's time per script call and per command inside (INFO commandstats, median of the rounds).
#
#   scripts/perf/redis-hold-profile.sh [--calls N] [--rounds R]     # defaults: 100000 calls, 3 rounds
#
# redis-benchmark sends 16 calls at a time (-P 16), so N is rounded up to a multiple of 16.
# Needs redis-server, redis-benchmark, redis-cli (scripts/install-deps.sh) and python3. Exit 2 on bad input.
set -euo pipefail
cd "$(dirname "$0")/../.."

calls=100000 rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --calls) calls=${2:-}; shift ;;
    --rounds) rounds=${2:-}; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "redis-hold-profile: unknown option '$1'; allowed: --calls N, --rounds R" >&2; exit 2 ;;
  esac
  shift
done
[[ $calls =~ ^[0-9]+$ ]] && [ "$calls" -ge 100 ] && [ "$calls" -le 10000000 ] || { echo "redis-hold-profile: --calls must be a whole number from 100 to 10000000 (was '$calls')" >&2; exit 2; }
[[ $rounds =~ ^[0-9]+$ ]] && [ "$rounds" -ge 1 ] && [ "$rounds" -le 20 ] || { echo "redis-hold-profile: --rounds must be a whole number from 1 to 20 (was '$rounds')" >&2; exit 2; }
for tool in redis-server redis-benchmark redis-cli python3; do
  command -v "$tool" >/dev/null || { echo "redis-hold-profile: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
done

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The hold as the simulator runs it: the HoldFunction text of RedisLedger.cs, then `return hold()`.
python3 - "$work" <<'EOF'
import sys, pathlib
src = pathlib.Path('src/Simulator/State/Redis/RedisLedger.cs').read_text()
start = src.index('private const string HoldFunction = """') + len('private const string HoldFunction = """')
hold = src[start:src.index('""";', start)]
out = pathlib.Path(sys.argv[1])
(out / 'hold.lua').write_text(hold + '\nreturn hold()\n')
# Without the authorization's HSET (11 fields on a new key): the INCR of the id stays.
lines = hold.split('\n')
i = next(n for n, l in enumerate(lines) if "redis.call('HSET', ARGV[7] .. id" in l)
(out / 'hold-no-auth.lua').write_text('\n'.join(lines[:i] + lines[i + 2:]) + '\nreturn hold()\n')
EOF
printf '%s\n' "return 1" >"$work/empty.lua"
printf '%s\n' "local t = {} for i = 1, 5 do t[i] = string.format('%.0f', i * 1.5) end local s = 'auth_' .. string.format('%010x', 77) return 1" >"$work/formats.lua"
printf '%s\n' "for i = 1, 4 do redis.call('INCR', 'x') end return 1" >"$work/four-calls.lua"

port=
for _ in 1 2 3; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --protected-mode no >"$work/redis.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  kill "$pid" 2>/dev/null || true; pid=
done
[ -n "$pid" ] || { echo "redis-hold-profile: redis-server did not start: $(tail -n 2 "$work/redis.log" | tr '\n' ' ')" >&2; exit 1; }

# The arguments of one Authorize (RedisLedger.Hold): 5 keys (account, id sequence, token, reset epoch, accounts),
# then amount, daily limit, day, merchant, order, key, the authorization prefix, PAN, epoch ('*': not from the
# token cache), token, node, time and opening balance. Every call holds 1 on one account, as perf.sh's pair does.
args=(5 acct:1 seq tok:x ep accts 1 99999999999999 2026-12-05 m o k auth: 6200000000000001 '*' tok_abc issuer-1 1700000000000 99999999999999)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-14s %12s  %s\n' variant "µs per call" "µs per command inside (median of $rounds rounds of $calls calls, redis-benchmark -c 1 -P 16)"
for variant in empty formats four-calls hold-no-auth hold; do
  per_call=() inner=""
  for _ in $(seq 1 "$rounds"); do
    redis-cli -p "$port" flushall >/dev/null
    sha=$(redis-cli -p "$port" script load "$(cat "$work/$variant.lua")")
    redis-cli -p "$port" config resetstat >/dev/null
    redis-benchmark -p "$port" -n "$calls" -c 1 -P 16 -q evalsha "$sha" "${args[@]}" >/dev/null 2>&1
    stats=$(redis-cli -p "$port" info commandstats | tr -d '\r')
    per_call+=("$(sed -n 's/^cmdstat_evalsha:.*usec_per_call=\([0-9.]*\).*/\1/p' <<<"$stats")")
    inner=$( (grep -E '^cmdstat_(hmget|hset|incr|get|sadd):' <<<"$stats" || true) | sed 's/^cmdstat_\([a-z]*\):calls=\([0-9]*\),.*usec_per_call=\([0-9.]*\).*/\1 \3 (\2 calls)/' | tr '\n' ';' | sed 's/;$//; s/;/; /g')
  done
  [ -n "${per_call[0]}" ] || { echo "redis-hold-profile: the $variant script did not run: $(redis-cli -p "$port" evalsha "$sha" "${args[@]}" 2>&1 | head -n 1)" >&2; exit 1; }
  printf '%-14s %12s  %s\n' "$variant" "$(printf '%s\n' "${per_call[@]}" | median)" "${inner:--}"
done
