#!/usr/bin/env bash
# Installs the external tools the scale-out tests and benchmarks use, only those missing.
# Idempotent: a second run with everything present does no apt work at all.
#   haproxy        -> wallet tier config check and the HAProxy end-to-end test (issue 9)
#   redis-server   -> Redis state store integration tests (issue 9)
#   nghttp2-client -> h2load (gRPC/HTTP2 benchmarks)
#   wrk, hey       -> HTTP/1.1 benchmarks
#   curl           -> the --wallet-hook commands of the HAProxy instance-crash test
#   prometheus     -> promtool: /metrics of the simulator and the wallet, deploy/prometheus/prometheus.yml
#   chromium       -> headless browser: the charts and fault bands of report.html, read from its DOM
#   python3-grpcio, python3-grpc-tools -> the Python interop test (docs/simulator.md: Authorize -> 1A -> SMS -> AuthenticatePayment)
set -euo pipefail

declare -A tool_of=(
  [haproxy]=haproxy
  [redis-server]=redis-server
  [nghttp2-client]=h2load
  [wrk]=wrk
  [hey]=hey
  [curl]=curl
  [prometheus]=promtool
  [chromium]=chromium
)

missing=()
for pkg in haproxy redis-server nghttp2-client wrk hey curl prometheus chromium; do
  if ! command -v "${tool_of[$pkg]}" >/dev/null 2>&1; then
    missing+=("$pkg")
  fi
done
# Python modules, not commands: Debian's python3 must import them (a pyenv or venv python3 earlier on PATH is not asked).
python_grpc() { /usr/bin/python3 -c 'import grpc, grpc_tools.protoc' >/dev/null 2>&1; }
if ! python_grpc; then
  missing+=(python3-grpcio python3-grpc-tools)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all tools present (haproxy redis-server h2load wrk hey curl promtool chromium python3-grpcio python3-grpc-tools)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# redis-server's package may start a system service on 6379; tests start their own on port 0,
# so a stray daemon is harmless but we never depend on it.
for pkg in "${missing[@]}"; do
  [ -n "${tool_of[$pkg]:-}" ] || continue
  if ! command -v "${tool_of[$pkg]}" >/dev/null 2>&1; then
    echo "install-deps: $pkg installed but ${tool_of[$pkg]} not on PATH" >&2
    exit 1
  fi
done
if ! python_grpc; then
  echo "install-deps: python3-grpcio/python3-grpc-tools installed but /usr/bin/python3 cannot import grpc_tools" >&2
  exit 1
fi
echo "install-deps: done"
