#!/usr/bin/env bash
# Network benchmark (on demand, not a test): Dicom.Typed storage SCU/SCP beside DCMTK storescu/storescp, in one run.
#   tests/Dicom.Typed.Benchmarks/network.sh [RUNS]          (default 5 runs; needs tests/peers/install.sh first)
# 1) 1,000 small files over one association, every SCP discarding the data (network path only, like storescp --ignore):
#      our SCU -> our SCP, our SCU (async window 16) -> our SCP, our SCU -> storescp, storescu -> storescp, storescu -> our SCP.
#    Prints per pair the medians of: wall time (whole client process, start-up included), files/s, throughput ratio to
#    storescu -> storescp (wall), CPU seconds (user+sys) of the client process (getrusage) and of the SCP during the
#    run (/proc/PID/stat), their sum and its ratio to DCMTK's (CPU is the figure to trust on a loaded machine: it does
#    not count time spent waiting for a core), the client's peak RSS, and the in-process transfer time our SCU reports.
#    BENCH_STRACE=1 adds one run per pair under strace -c -f (client only): system calls per 1,000 files.
#    Then a warm process: our SCU sends the 1,000 files BENCH_WARM (default 5) times on as many associations of one process
#    (a long-running host's throughput once its code is loaded and compiled; median over associations 2..N of all runs),
#    beside storescu's one-file run (its fixed cost: process start, association, release).
# 2) One 1 GiB instance (generated here, streamed to disk) our SCU -> our SCP and storescu -> our SCP, both SCPs writing to
#    disk: wall time and peak RSS (VmHWM) of each end (dirty pages are written back with sync before each pair); then the
#    same two clients to our SCP discarding the data (--ignore), which times the send path without the receiver's disk.
# Environment: BENCH_DIR (work folder, kept; default a new temp folder, deleted), BENCH_PORT (first of 3 ports, default 11290),
#              BENCH_SKIP_LARGE=1 (skip part 2), BENCH_JIT=1 (JIT build instead of Native AOT: self-contained,
#              trimmed, one composite ReadyToRun image; BENCH_JIT=fd: framework-dependent ReadyToRun, the plain publish),
#              BENCH_STRACE=1 (syscall counts, needs strace).
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KEEP=${BENCH_DIR:+1}
WORK=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
P=${BENCH_PORT:-11290}
OURPORT=$P STOREPORT=$((P + 1)) BIGPORT=$((P + 2))
export TCP_NODELAY=1
BIN="$WORK/bin/dicom-typed"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  bash "$ROOT/tests/peers/start-peer.sh" --stop storescp "$STOREPORT" "$WORK" >/dev/null 2>&1 || true
  [ -n "$KEEP" ] || rm -rf "$WORK"
}
trap cleanup EXIT

if [ ! -x "$BIN" ]; then
  if [ "${BENCH_JIT:-0}" = 1 ]; then
    echo "# publishing dicom-typed (Release, JIT; self-contained composite ReadyToRun, -p:DicomTypedComposite=true)" >&2
    dotnet publish "$ROOT/src/Dicom.Typed.Cli" -c Release -p:DicomTypedComposite=true -o "$WORK/bin" -nologo -v q >&2
  elif [ "${BENCH_JIT:-0}" = fd ]; then
    echo "# publishing dicom-typed (Release, JIT; framework-dependent ReadyToRun as the project publishes it by default)" >&2
    dotnet publish "$ROOT/src/Dicom.Typed.Cli" -c Release -o "$WORK/bin" -nologo -v q >&2
  else
    # Native AOT like compare.sh (no JIT time or JIT memory in the measurement); JIT build when AOT is unavailable.
    echo "# publishing dicom-typed with Native AOT" >&2
    dotnet publish "$ROOT/src/Dicom.Typed.Cli" -c Release -r linux-x64 -p:DicomTypedAot=true -o "$WORK/bin" -nologo -v q >&2 \
      || { echo "# Native AOT unavailable; using the JIT build" >&2; dotnet publish "$ROOT/src/Dicom.Typed.Cli" -c Release -o "$WORK/bin" -nologo -v q >&2; }
  fi
fi
[ -d "$WORK/sc" ] || "$BIN" generate-sc "$WORK/sc" 1000 >/dev/null

wait_echo() {  # wait_echo PORT: until a C-ECHO succeeds
  for _ in $(seq 1 400); do
    timeout 5 echoscu -to 3 -aet PROBE -aec ANY 127.0.0.1 "$1" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "no C-ECHO answer on port $1" >&2; return 1
}

start_our_scp() {  # start_our_scp PORT ARGS... -> sets SCP_PID
  "$BIN" store-scp --port "$1" "${@:2}" >"$WORK/our-scp-$1.log" 2>&1 &
  SCP_PID=$!
  PIDS+=("$SCP_PID")
  wait_echo "$1"
}

stop_pid() { kill -TERM "$1" 2>/dev/null || true; for _ in $(seq 1 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done; kill -KILL "$1" 2>/dev/null || true; }

hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # user + system clock ticks of a running process (all its threads)
# timed OUT ERR CMD...: runs CMD with stdout to OUT; writes "wall user sys maxrss_kB" to ERR. getrusage of the waited-for
# children (timeout's child included): CPU to the microsecond where /usr/bin/time prints centiseconds.
timed() {
  /usr/bin/python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], "w") as out:
    rc = subprocess.call(sys.argv[3:], stdout=out)
w = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[2], "w").write(f"{w:.4f} {r.ru_utime:.4f} {r.ru_stime:.4f} {r.ru_maxrss}\n")
sys.exit(rc)' "$@"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# ---- part 1: 1,000 small files ----------------------------------------------------------------------------------
start_our_scp "$OURPORT" --ignore --window 16
PEERS_ARGS="--ignore" bash "$ROOT/tests/peers/start-peer.sh" storescp "$STOREPORT" "$WORK" >/dev/null

STORE_PID=$(cat "$WORK/storescp-$STOREPORT.pid")
declare -A WALL INPROC CCPU SCPU CRSS SYSCALLS
NAMES=("our-scu -> our-scp" "our-scu(window 16) -> our-scp" "our-scu -> storescp" "storescu -> storescp" "storescu -> our-scp")
client_cmd() {  # client_cmd NAME: the client command line of a pair
  case $1 in
    "our-scu -> our-scp")             echo "$BIN store-scu --aec OURSCP 127.0.0.1 $OURPORT $WORK/sc" ;;
    "our-scu(window 16) -> our-scp")  echo "$BIN store-scu --aec OURSCP --window 16 127.0.0.1 $OURPORT $WORK/sc" ;;
    "our-scu -> storescp")            echo "$BIN store-scu --aec STORESCP 127.0.0.1 $STOREPORT $WORK/sc" ;;
    "storescu -> storescp")           echo "timeout 120 storescu -aec STORESCP +sd +r 127.0.0.1 $STOREPORT $WORK/sc" ;;
    "storescu -> our-scp")            echo "timeout 120 storescu -aec OURSCP +sd +r 127.0.0.1 $OURPORT $WORK/sc" ;;
  esac
}
scp_pid() { case $1 in *storescp) echo "$STORE_PID" ;; *) echo "$SCP_PID" ;; esac; }
run_pair() {  # run_pair NAME: one timed run; appends wall, client CPU, SCP CPU, client RSS (and our in-process seconds)
  local name=$1 out spid c0 c1 e u s m
  spid=$(scp_pid "$name")
  c0=$(cpu_ticks "$spid")
  # shellcheck disable=SC2046
  timed "$WORK/client.out" "$WORK/time.txt" $(client_cmd "$name") || { echo "FAILED: $name: $(cat "$WORK/client.out")" >&2; exit 1; }
  c1=$(cpu_ticks "$spid")
  read -r e u s m < "$WORK/time.txt"
  WALL[$name]+="$e "
  CCPU[$name]+="$(echo "$u + $s" | bc -l) "
  SCPU[$name]+="$(echo "($c1 - $c0) / $TICKS" | bc -l) "
  CRSS[$name]+="$m "
  out=$(cat "$WORK/client.out")
  if [ -n "$out" ]; then
    grep -q "1000/1000 stored" <<<"$out" || { echo "FAILED: $name: $out" >&2; exit 1; }
    INPROC[$name]+="$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' <<<"$out") "
  fi
}
for r in $(seq "$RUNS"); do
  for n in "${NAMES[@]}"; do run_pair "$n"; done
done
med() { tr ' ' '\n' <<<"$1" | grep . | median; }
# Warm process: the same 1,000 files WARM times in a row on WARM associations of one store-scu process, as a long-running
# host (a router, a modality, a PACS gateway) sends them once its code is loaded and compiled; beside it storescu's fixed
# cost (one file: process start, association, release) to see DCMTK's transfer time without its start-up.
WARM=${BENCH_WARM:-5}
[ "$WARM" -ge 2 ] || WARM=2  # association 1 is the cold one
ONE=$(find "$WORK/sc" -type f | LC_ALL=C sort | sed -n 1p)  # sed reads all input: no SIGPIPE under pipefail
WARM_FIRST="" WARM_LAST="" DCMTK_ONE=""
for r in $(seq "$RUNS"); do
  timed "$WORK/warm.out" "$WORK/time.txt" "$BIN" store-scu --aec STORESCP --repeat "$WARM" 127.0.0.1 "$STOREPORT" "$WORK/sc" \
    || { echo "FAILED: warm store-scu: $(cat "$WORK/warm.out")" >&2; exit 1; }
  [ "$(grep -c '1000/1000 stored' "$WORK/warm.out")" = "$WARM" ] || { echo "FAILED: warm store-scu: $(cat "$WORK/warm.out")" >&2; exit 1; }
  WARM_FIRST+="$(head -1 "$WORK/warm.out" | sed -n 's/.* in \([0-9.]*\) s$/\1/p') "
  WARM_LAST+="$(tail -n +2 "$WORK/warm.out" | sed -n 's/.* in \([0-9.]*\) s$/\1/p' | tr '\n' ' ') "
  timed /dev/null "$WORK/time.txt" timeout 60 storescu -aec STORESCP 127.0.0.1 "$STOREPORT" "$ONE" || { echo "FAILED: storescu one file" >&2; exit 1; }
  DCMTK_ONE+="$(cut -d' ' -f1 "$WORK/time.txt") "
done
if [ "${BENCH_STRACE:-0}" = 1 ] && command -v strace >/dev/null; then
  for n in "${NAMES[@]}"; do
    # shellcheck disable=SC2046
    strace -c -f -S calls -o "$WORK/strace.txt" $(client_cmd "$n") >/dev/null 2>&1 || true
    # columns: % time, seconds, usecs/call, calls, [errors], syscall; sorted by calls
    SYSCALLS[$n]="$(awk '$NF == "total" { print $4 }' "$WORK/strace.txt") ($(awk '$1 ~ /^[0-9.]+$/ && $NF != "total" && n < 5 { printf "%s%s %s", sep, $NF, $4; sep = ", "; n++ }' "$WORK/strace.txt"))"
  done
fi
BASE=$(med "${WALL["storescu -> storescp"]}")
BASECPU=$(echo "$(med "${CCPU["storescu -> storescp"]}") + $(tr ' ' '\n' <<<"${SCPU["storescu -> storescp"]}" | grep . | awk '{ t += $1 } END { print t / NR }')" | bc -l)
echo
echo "## 1,000 small files (5,0xx bytes each), one association, SCPs discard the data; median of $RUNS runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-31s %7s %8s %7s %9s %9s %9s %8s %10s %18s\n' "pair" "wall s" "files/s" "x (wall)" "client CPU" "SCP CPU" "CPU s" "x (CPU)" "client RSS" "in-process s (files/s)"
for n in "${NAMES[@]}"; do
  w=$(med "${WALL[$n]}")
  cc=$(med "${CCPU[$n]}")
  sc=$(tr ' ' '\n' <<<"${SCPU[$n]}" | grep . | awk '{ t += $1 } END { print t / NR }')  # mean: 1/CLK_TCK s resolution per run
  ip="-"
  if [ -n "${INPROC[$n]:-}" ]; then
    i=$(med "${INPROC[$n]}")
    ip=$(printf '%.3f (%.0f)' "$i" "$(echo "1000 / $i" | bc -l)")
  fi
  printf '%-31s %7.3f %8.0f %7.2f %9.3f %9.3f %9.3f %8.2f %7.0f kB %18s\n' "$n" "$w" "$(echo "1000 / $w" | bc -l)" "$(echo "$BASE / $w" | bc -l)" \
    "$cc" "$sc" "$(echo "$cc + $sc" | bc -l)" "$(echo "$BASECPU / ($cc + $sc)" | bc -l)" "$(med "${CRSS[$n]}")" "$ip"
done
echo "(x = relative to storescu -> storescp: throughput by wall time, or CPU seconds of both ends; wall and client CPU"
echo " include process start-up; CPU s = client (median, getrusage) + SCP (mean, /proc/PID/stat over each run) user+sys seconds)"
if [ -n "${SYSCALLS[*]:-}" ]; then
  echo "system calls of the client per 1,000 files (strace -c -f; total, then the most frequent):"
  for n in "${NAMES[@]}"; do printf '  %-31s %s\n' "$n" "${SYSCALLS[$n]}"; done
fi
echo
echo "## warm process: store-scu --repeat $WARM -> storescp, in-process time per association (medians over $RUNS runs)"
wf=$(med "$WARM_FIRST"); wl=$(med "$WARM_LAST"); d1=$(med "$DCMTK_ONE")
printf '%-44s %7.3f s %6.0f files/s\n' "association 1 (cold code)" "$wf" "$(echo "1000 / $wf" | bc -l)"
printf '%-44s %7.3f s %6.0f files/s  x %.2f vs storescu -> storescp wall, x %.2f vs its wall minus its 1-file run (%.3f s)\n' \
  "associations 2-$WARM (warm)" "$wl" "$(echo "1000 / $wl" | bc -l)" "$(echo "$BASE / $wl" | bc -l)" "$(echo "($BASE - $d1) / $wl" | bc -l)" "$d1"
echo "our SCP peak RSS after $((RUNS * 3)) associations: $(hwm_kb "$SCP_PID") kB"
stop_pid "$SCP_PID"
bash "$ROOT/tests/peers/start-peer.sh" --stop storescp "$STOREPORT" "$WORK" >/dev/null

[ "${BENCH_SKIP_LARGE:-0}" = 1 ] && exit 0

# ---- part 2: one 1 GiB instance -----------------------------------------------------------------------------------
BIG="$WORK/big/big.dcm"
if [ ! -f "$BIG" ]; then
  mkdir -p "$WORK/big"
  # Multi-frame Grayscale Word SC, 8192 x 8192 x 8 frames x 16 bit = 1 GiB of pixel data, written in 8 MiB chunks by pydicom + raw append.
  /usr/bin/python3 - "$BIG" <<'PY'
import sys, struct, io
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
R, C, F = 8192, 8192, 8
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"; meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian; meta.ImplementationClassUID = generate_uid()
ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
ds.SOPClassUID = meta.MediaStorageSOPClassUID; ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.PatientName = "Bench^Huge"; ds.PatientID = "BIG"; ds.Modality = "OT"; ds.StudyInstanceUID = generate_uid(); ds.SeriesInstanceUID = generate_uid()
ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = "MONOCHROME2"; ds.Rows = R; ds.Columns = C; ds.NumberOfFrames = str(F)
ds.BitsAllocated = 16; ds.BitsStored = 16; ds.HighBit = 15; ds.PixelRepresentation = 0
ds.is_little_endian = True; ds.is_implicit_VR = False
buf = io.BytesIO(); ds.save_as(buf, write_like_original=False)
n = R * C * F * 2
chunk = bytes((i * 7) & 0xFF for i in range(8 << 20))
with open(sys.argv[1], "wb") as f:
    f.write(buf.getvalue())
    f.write(struct.pack("<HH2sHI", 0x7FE0, 0x0010, b"OW", 0, n))
    left = n
    while left:
        k = min(left, len(chunk)); f.write(chunk[:k]); left -= k
PY
fi
SIZE=$(stat -c %s "$BIG")
echo
echo "## one instance of $SIZE bytes, SCP writes to disk"
printf '%-32s %10s %10s %10s %16s %16s\n' "pair" "wall s" "SCU CPU s" "SCP CPU s" "SCU peak RSS kB" "SCP peak RSS kB"
big_pair() {  # big_pair NAME CLIENT...
  local name=$1 out="$WORK/bigout-$RANDOM" wall ucpu scpu c0 c1 u s rss
  shift
  if [ -n "${BIG_IGNORE:-}" ]; then start_our_scp "$BIGPORT" --ignore; else start_our_scp "$BIGPORT" --dir "$out"; fi
  # Write back dirty pages first (the generated file, the previous pair's output), so no pair pays for another's disk writes.
  sync
  c0=$(cpu_ticks "$SCP_PID")
  timed /dev/null "$WORK/time.txt" "$@" || { echo "FAILED: $name: client exit status $?" >&2; exit 1; }
  c1=$(cpu_ticks "$SCP_PID")
  read -r wall u s rss < "$WORK/time.txt"
  ucpu=$(echo "$u + $s" | bc -l)
  scpu=$(echo "($c1 - $c0) / $TICKS" | bc -l)
  local scp_rss; scp_rss=$(hwm_kb "$SCP_PID")
  stop_pid "$SCP_PID"
  local got; got=$(find "$out" -maxdepth 1 -name '*.dcm' -printf '%s\n' 2>/dev/null | head -1) || got=""
  if [ -z "${BIG_IGNORE:-}" ]; then
    [ -n "$got" ] && [ "$got" -ge $((SIZE - 4096)) ] || { echo "FAILED: $name: received ${got:-nothing}" >&2; exit 1; }
  fi
  printf '%-32s %10.2f %10.2f %10.2f %16s %16s\n' "$name" "$wall" "$ucpu" "$scpu" "$rss" "$scp_rss"
  rm -rf "$out"
}
# The first 1 GiB written after start-up costs ~2 s more whichever client sends it (page reclaim): an untimed warm-up first.
big_pair "(warm-up, storescu)" timeout 300 storescu -aec OURSCP 127.0.0.1 "$BIGPORT" "$BIG"
big_pair "our-scu -> our-scp" "$BIN" store-scu --aec OURSCP 127.0.0.1 "$BIGPORT" "$BIG"
big_pair "storescu -> our-scp" timeout 300 storescu -aec OURSCP 127.0.0.1 "$BIGPORT" "$BIG"
echo "(goal: < 65536 kB peak RSS for each end)"
echo
echo "## the same instance, our SCP discarding the data (send path and network only)"
BIG_IGNORE=1 big_pair "our-scu -> our-scp --ignore" "$BIN" store-scu --aec OURSCP 127.0.0.1 "$BIGPORT" "$BIG"
BIG_IGNORE=1 big_pair "storescu -> our-scp --ignore" timeout 300 storescu -aec OURSCP 127.0.0.1 "$BIGPORT" "$BIG"
