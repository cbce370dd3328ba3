#!/usr/bin/env bash
# On demand: how much of the compile of samples/AnalyzerSamples the Dicom.Typed analyzers take.
#   bash samples/AnalyzerSamples/measure.sh [runs]
# Builds once to bring the dependencies up to date with -p:ReportAnalyzer=true (a changed global property rebuilds
# them), then, per run, touches Samples.cs so that only this project's Csc runs, and reads the compiler's
# ReportAnalyzer summary ("Total analyzer execution time", the Dicom.Typed.Analyzers row) and the Csc task time of the
# MSBuild performance summary. Analyzer times are summed over threads (concurrent execution), so they are an upper
# bound of the wall time they add. The binary log of the last run is left in $OUT/last.binlog.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
dotnet build samples/AnalyzerSamples -nologo -v q -p:ReportAnalyzer=true > "$OUT/warmup.log" 2>&1
printf '%-4s %12s %12s %12s %8s %8s\n' run csc_ms all_an_ms dt_an_ms dt/csc dt/all
for i in $(seq 1 "$RUNS"); do
  touch samples/AnalyzerSamples/Samples.cs
  log="$OUT/run$i.log"
  dotnet build samples/AnalyzerSamples -nologo -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary -bl:"$OUT/last.binlog" > "$log" 2>&1
  all=$(grep -m1 'Total analyzer execution time' "$log" | grep -oE '[0-9]+\.[0-9]+')
  dt=$(grep -m1 -E '^\s+[0-9.<]+\s+[0-9<]+\s+Dicom\.Typed\.Analyzers, Version' "$log" | awk '{print $1}')
  csc=$(grep -E '^\s+[0-9]+ ms\s+Csc\s' "$log" | tail -1 | awk '{print $1}')
  awk -v r="$i" -v c="$csc" -v a="$all" -v d="$dt" 'BEGIN { printf "%-4s %12d %12d %12d %7.1f%% %7.1f%%\n", r, c, a*1000, d*1000, 100*d*1000/c, 100*d/a }'
done
echo "logs: $OUT"
