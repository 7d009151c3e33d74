#!/usr/bin/env bash
# Packs PaySim.LoadEngine (library) and PaySim.LoadTests (the `paysim` .NET tool) into ./artifacts,
# then, with --smoke, installs the tool from that folder into a temporary tool path and runs
# `paysim plans` and a 5 s `paysim run --plan smoke` (CI runs it from scripts/ci-extra.sh).
#
#   scripts/pack.sh            # artifacts/PaySim.LoadEngine.<v>.nupkg, artifacts/PaySim.LoadTests.<v>.nupkg
#   scripts/pack.sh --smoke    # and prove the tool installs and runs
#   dotnet tool install --global PaySim.LoadTests --add-source ./artifacts   # then: paysim --help
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

smoke=0
case "${1:-}" in
  "") ;;
  --smoke) smoke=1 ;;
  -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
  *) echo "pack.sh: unknown option '$1'; allowed: --smoke, --help" >&2; exit 2 ;;
esac

out=artifacts
mkdir -p "$out"
rm -f "$out"/PaySim.LoadEngine.*.nupkg "$out"/PaySim.LoadTests.*.nupkg
for project in src/LoadEngine src/LoadTests; do
  dotnet pack "$project" -c Release -o "$out" -nologo -v q
done
ls "$out"/*.nupkg

[ "$smoke" -eq 1 ] || exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(sed -nE 's|.*<Version>([^<]+)</Version>.*|\1|p' src/LoadTests/LoadTests.csproj | head -n 1)
# A folder of its own for NuGet's cache, so an older package of the same version is never reused.
NUGET_PACKAGES="$tmp/nuget" dotnet tool install PaySim.LoadTests --version "$version" --add-source "$out" --tool-path "$tmp/tools" >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log"; echo "pack.sh: the tool did not install"; exit 1; }

plans=$("$tmp/tools/paysim" plans)
grep -q '^smoke ' <<<"$plans" || { echo "$plans"; echo "pack.sh: 'paysim plans' does not list smoke"; exit 1; }

(cd "$tmp" && "$tmp/tools/paysim" run --plan smoke --duration 5s --no-progress --report-dir "$tmp/report") >"$tmp/run.log" 2>&1 \
  || { tail -n 30 "$tmp/run.log"; echo "pack.sh: 'paysim run --plan smoke' failed"; exit 1; }
grep -q '^verdict: pass' "$tmp/run.log" || { tail -n 30 "$tmp/run.log"; echo "pack.sh: no passing verdict"; exit 1; }
# The installed tool names itself in the run's "run again" line (a source tree would say dotnet run --project …).
grep -q '^run again: paysim run --plan smoke --duration 5s --no-progress --seed [0-9]*$' "$tmp/run.log" \
  || { tail -n 30 "$tmp/run.log"; echo "pack.sh: the run's 'run again:' line is not the installed tool's command"; exit 1; }
[ -f "$tmp/report/summary.json" ] || { echo "pack.sh: no summary.json"; exit 1; }
echo "pack.sh: paysim $version installed from $out; 'paysim plans' lists $(wc -l <<<"$plans") plans; 'paysim run --plan smoke' passed"
