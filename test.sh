#!/usr/bin/env bash
# Full test suite: installs the DICOM peers and sample-data packages (DCMTK, dicom3tools, pydicom, Orthanc,
# dcmjs-dimse) with the project's own install script, builds everything, runs every test project and prints
# one closing line "N passed, N failed, N skipped" summed over all test projects.
#   REQUIRE_PEERS=1 ./test.sh   interop/real-data tests fail (instead of skipping) when a peer is missing (CI)
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export TCP_NODELAY=1
export PEERS_NPM_DIR="$ROOT/.peers/npm"
export DICOM_TYPED_PEERS_DIR="$ROOT/.peers"

if ! bash tests/peers/install.sh; then
  echo "test.sh: installing the peers failed" >&2
  [ "${REQUIRE_PEERS:-0}" = 1 ] && { echo "0 passed, 1 failed"; exit 1; }
fi

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
dotnet build Dicom.Typed.sln -c Release -nologo -v q 2>&1 | tail -n 30
build_rc=${PIPESTATUS[0]}
if [ "$build_rc" != 0 ]; then
  echo "test.sh: build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet test Dicom.Typed.sln -c Release --no-build -nologo 2>&1 | tee "$LOG"
test_rc=${PIPESTATUS[0]}

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...").
read -r passed failed skipped < <(grep -E '(Passed|Failed)!  - Failed:' "$LOG" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
projects=$(grep -cE '(Passed|Failed)!  - Failed:' "$LOG")
expected=$(find tests -name '*.csproj' -exec grep -l '<IsTestProject>true</IsTestProject>' {} + | wc -l)
if [ "$projects" -lt "$expected" ]; then
  echo "test.sh: only $projects of $expected test projects reported results" >&2
  failed=$((failed + expected - projects))
fi
[ "$test_rc" != 0 ] && [ "$failed" = 0 ] && failed=1
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" = 0 ]
