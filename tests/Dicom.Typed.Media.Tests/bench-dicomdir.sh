#!/usr/bin/env bash
# DICOMDIR for N small files (default 10,000): dcmmkdir vs Dicom.Typed.Media, same files, same run.
# Prints wall times (whole process, including .NET start-up) and the speed ratio (dcmmkdir time / ours).
#   tests/Dicom.Typed.Media.Tests/bench-dicomdir.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
command -v dcmmkdir >/dev/null || { echo "dcmmkdir missing: run ./test.sh (tests/peers/install.sh)" >&2; exit 1; }
dotnet build tests/Dicom.Typed.Media.Bench -c Release -nologo -v q >/dev/null
BENCH=tests/Dicom.Typed.Media.Bench/bin/Release/net10.0/Dicom.Typed.Media.Bench
mkdir -p "$W/a" && "$BENCH" gen "$W/a" "$N"
cp -r "$W/a" "$W/b"
sync
now() { date +%s.%N; }
t0=$(now); ( cd "$W/a" && dcmmkdir -Pgp +r +id . DICOM ) 2>&1 | grep -v '^W:' || true; t1=$(now)
t2=$(now); "$BENCH" mkdir "$W/b"; t3=$(now)
dcm=$(echo "$t1 - $t0" | bc); ours=$(echo "$t3 - $t2" | bc)
echo "files: $N"
echo "dcmmkdir:         ${dcm} s"
echo "Dicom.Typed.Media: ${ours} s"
echo "ratio (dcmmkdir / ours, >= 1 means at least as fast): $(echo "scale=2; $dcm / $ours" | bc)"
dcdirdmp "$W/b/DICOMDIR" >/dev/null 2>&1 && echo "dcdirdmp: offsets OK" || { echo "dcdirdmp: FAILED" >&2; exit 1; }
