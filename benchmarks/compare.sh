#!/usr/bin/env bash
# Kiln beside PyTorch and ONNX Runtime, in one run (see benchmarks/README.md):
#   builds the benchmarks jar if needed, runs the JMH benchmarks (Kiln, ONNX Runtime Java), the
#   allocation check, and the Python peers (anchors' infer_bench.py for W1 and W3, py/w2_steps.py for
#   W2, anchors' train_bench.py for W3 training epochs beside Kiln's KilnEpochs), then prints one
#   markdown table and writes it to benchmarks/results/latest.md (+ latest.json and this run's raw
#   results in benchmarks/results/raw/).
#
# Run it under the build lock so no build disturbs the measurements (it builds under that lock too):
#   flock /tmp/kiln-build.lock ./benchmarks/compare.sh
#
# Environment:
#   KILN_ANCHORS      the peers' scripts (default: ../shared/anchors beside the project root)
#   ANCHOR_VENV       their Python venv (default /tmp/anchorvenv, made by the anchors' setup.sh)
#   ANCHOR_MODELS     exported models and weights (default /tmp/anchors_models)
#   KILN_JAVA_HOME    a JDK 25+ (default: JAVA_HOME if 25+, else Maven's toolchains, else /usr/lib/jvm)
#   FMNIST_DIR        Fashion-MNIST's IDX files for the W3 training epochs (default: where Debian's
#                     dataset-fashion-mnist package put them; without them the W3 training rows are skipped)
#   KILN_W3_EPOCHS    timed W3 training epochs per system (default 3)
#   KILN_ROUNDS       rounds of the paired measurements (default 3; each: 1 JMH fork, ceil(7 / rounds) Python reps)
#   KILN_BENCH_JMH_ARGS  extra JMH options, e.g. "-wi 3 -i 3" for a quick look (default: the annotations'
#                     5 warm-up + 5 measured 1 s iterations, 1 fork per round unless it gives -f)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ANCHORS="${KILN_ANCHORS:-$ROOT/../shared/anchors}"
VENV="${ANCHOR_VENV:-/tmp/anchorvenv}"
PY="$VENV/bin/python"
export ANCHOR_MODELS="${ANCHOR_MODELS:-/tmp/anchors_models}"
JAR="$HERE/target/benchmarks.jar"
RESULTS="$HERE/results"
RAW="$RESULTS/raw"
LOCK=/tmp/kiln-build.lock

say() { echo "== $*" >&2; }
die() { echo "compare.sh: $*" >&2; exit 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------- prerequisites
[ -d "$ANCHORS/py" ] || die "the peers' scripts are not at $ANCHORS (expected ../shared/anchors beside the project root; set KILN_ANCHORS)"
ANCHORS="$(cd "$ANCHORS" && pwd)"
if [ ! -x "$PY" ]; then
  die "the peers' Python venv $VENV is missing: run $ANCHORS/setup.sh once (it builds the venv from wheels on disk,
installs Fashion-MNIST and exports the ONNX models), then run this again"
fi

# The lock: warn when no ancestor of this script holds it (builds or benchmarks of others would
# share the 2 cores with the measurements). Taking it here would deadlock under the documented
# 'flock /tmp/kiln-build.lock ./benchmarks/compare.sh'.
lock_held_by_ancestor() {
  [ -e "$LOCK" ] || return 1
  local inode pids p
  inode="$(stat -c %i "$LOCK")"
  pids="$(awk -v ino="$inode" '$2 == "FLOCK" { split($6, a, ":"); if (a[3] == ino) print $5 }' /proc/locks 2>/dev/null)"
  p=$$
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    for q in $pids; do [ "$q" = "$p" ] && return 0; done
    p="$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null || true)"
  done
  return 1
}
if ! lock_held_by_ancestor; then
  say "WARNING: not running under $LOCK; builds by others may disturb the timings. Use: flock $LOCK $0"
fi

# A JDK 25+, found as Maven's toolchains plugin does: JAVA_HOME, then the toolchains files (the
# user's, and the cache of JDKs the plugin discovered), then the usual install folder.
java_feature() {  # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2; exit }'
}
find_jdk() {
  local c v
  for c in "${KILN_JAVA_HOME:-}" "${JAVA_HOME:-}" \
      $(sed -n 's:.*<jdkHome>\(.*\)</jdkHome>.*:\1:p' "$HOME/.m2/toolchains.xml" "$HOME/.m2/discovered-jdk-toolchains-cache.xml" 2>/dev/null) \
      /usr/lib/jvm/*; do
    [ -n "$c" ] || continue
    v="$(java_feature "$c")"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
JDK="$(find_jdk)" || die "no JDK 25+ found (set KILN_JAVA_HOME); java on PATH is $(java -version 2>&1 | head -1)"
JAVA="$JDK/bin/java"
JAVA_OPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

# ---------------------------------------------------------------- build if needed
needs_build() {
  [ -f "$JAR" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT"/{annotations,runtime,processor,benchmarks}/pom.xml \
      "$ROOT"/{annotations,runtime,processor,benchmarks}/src/main -newer "$JAR" -type f -print -quit 2>/dev/null)" ]
}
if needs_build; then
  say "building (mvn -q -o install -DskipTests)"
  (cd "$ROOT" && { mvn -q -o install -DskipTests || mvn -q install -DskipTests; }) || die "the build failed"
fi
[ -f "$JAR" ] || die "$JAR is missing after the build"

# ---------------------------------------------------------------- run
rm -rf "$RAW"; mkdir -p "$RAW/python"
exec > >(tee "$RAW/compare.log") 2>&1
LOAD_START="$(load)"
say "$(date '+%F %T')  load $LOAD_START  JDK $JDK"

if [ ! -f "$ANCHOR_MODELS/w1_mlp.onnx" ] || [ ! -f "$ANCHOR_MODELS/w1_probs64.bin" ]; then
  say "exporting the anchors' models to $ANCHOR_MODELS"
  "$PY" "$ANCHORS/py/export_models.py" > "$RAW/export.log" 2>&1 || { tail -5 "$RAW/export.log"; die "export_models.py failed"; }
fi

if [ -f "$ANCHOR_MODELS/w3_cnn.pt" ]; then  # always: a file from before Kiln read nn.Flatten's order would be permuted
  say "writing the anchors' W3 weights for Kiln (py/export_w3_weights.py)"
  "$PY" "$HERE/py/export_w3_weights.py" > "$RAW/export_w3.log" 2>&1 || { tail -5 "$RAW/export_w3.log"; die "export_w3_weights.py failed"; }
fi
if [ -z "${FMNIST_DIR:-}" ]; then
  FMNIST_DIR="$(dpkg -L dataset-fashion-mnist 2>/dev/null | grep -m1 'train-images-idx3-ubyte' | xargs -r dirname || true)"
fi
export FMNIST_DIR
W3_EPOCHS="${KILN_W3_EPOCHS:-3}"
ROUNDS="${KILN_ROUNDS:-3}"

"$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.kiln.benchmarks.MachineInfo > "$RAW/machine_java.json" 2>/dev/null

ort_filter() {  # ort_filter <W1|W3>: the ONNX Runtime Java benchmark's name, or one that matches nothing
  local model; case "$1" in W1) model="$ANCHOR_MODELS/w1_mlp.onnx" ;; W3) model="$ANCHOR_MODELS/w3_cnn.onnx" ;; esac
  if [ -f "$model" ]; then echo "Ort$1"; else say "no $model: skipping ONNX Runtime Java $1"; echo NoSuchBenchmark; fi
}
# shellcheck disable=SC2206
JMH_EXTRA=(${KILN_BENCH_JMH_ARGS:-})
jmh() {  # jmh <name> <regexp>: one JMH run, JSON to $RAW/jmh_<name>.json
  say "JMH $1: $2  (load $(load))"
  "$JAVA" "${JAVA_OPTS[@]}" -jar "$JAR" -prof gc -rf json -rff "$RAW/jmh_$1.json" "${JMH_EXTRA[@]}" "$2" \
    > "$RAW/jmh_$1.log" 2>&1 || { tail -30 "$RAW/jmh_$1.log"; die "JMH failed (log: $RAW/jmh_$1.log)"; }
  grep -E '^(Benchmark |[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]* )' "$RAW/jmh_$1.log" | awk '$1 !~ /:/' || true
  grep -h '\[kiln-bench\]' "$RAW/jmh_$1.log" | sed 's/^.*\[kiln-bench\] //' | sort -u >> "$RAW/checks.txt" || true
}

kiln_epochs() {  # kiln_epochs <w2|w3> <threads> <epochs> <out.json>: Kiln's Trainer over Fashion-MNIST epochs
  "$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.kiln.benchmarks.KilnEpochs "$FMNIST_DIR" --workload "$1" --threads "$2" \
    --epochs "$3" --out "$4" 2> "$4.err" || { tail -5 "$4.err"; die "KilnEpochs $1 failed"; }
}

python_infer() {  # python_infer <w1|w3> <suffix>: the anchors' infer_bench.py, $PY_REPS repetitions
  say "Python $1 peers: anchors' infer_bench.py $1 (ANCHOR_REPS=$PY_REPS)  (load $(load))"
  ANCHOR_RESULTS="$RAW/python" ANCHOR_REPS="$PY_REPS" "$PY" "$ANCHORS/py/infer_bench.py" "$1" > "$RAW/python/$1_infer$2.log" 2>&1 \
    || { tail -5 "$RAW/python/$1_infer$2.log"; say "WARNING: infer_bench.py $1 failed"; }
  grep -E "^$1 " "$RAW/python/$1_infer$2.log" || true
  mv "$RAW/python/$1_infer_python.json" "$RAW/$1_infer_python$2.json" 2>/dev/null \
    || say "WARNING: the Python $1 peers wrote no results (see $RAW/python/$1_infer$2.log)"
}

# The pairs behind the ratios run in rounds, each pair back to back within a round: W1 in Java, W1 in
# Python, W2 in Java, W2 in Python, W3 latency in Java, then in Python. A slow or fast phase of the
# machine (absolute times here drift by up to 2x, the Python peers' most) then falls on both sides.
# Each round has 1 JMH fork per benchmark and ceil(7 / rounds) Python repetitions. Then, once: W3
# training epochs in Kiln, Keras, PyTorch, and Kiln's W2 epochs on 1 and 2 threads, alternating.
case " ${KILN_BENCH_JMH_ARGS:-} " in *" -f "*) FORKS=() ;; *) FORKS=(-f 1) ;; esac
JMH_EXTRA=("${FORKS[@]}" "${JMH_EXTRA[@]}")
PY_REPS=$(( (7 + ROUNDS - 1) / ROUNDS )); [ "$PY_REPS" -ge 2 ] || PY_REPS=2
for round in $(seq 1 "$ROUNDS"); do
  R="_r$round"
  say "round $round of $ROUNDS"
  jmh "w1$R" "dev\.kiln\.benchmarks\.(KilnW1|$(ort_filter W1))\."
  python_infer w1 "$R"
  jmh "w2$R" 'dev\.kiln\.benchmarks\.KilnW2Train\.'
  say "Python W2 peer: w2_steps.py --reps $PY_REPS  (load $(load))"
  "$PY" "$HERE/py/w2_steps.py" --anchors "$ANCHORS" --batches 32 128 --reps "$PY_REPS" --out "$RAW/w2_steps_torch$R.json"
  jmh "w3$R" "dev\.kiln\.benchmarks\.(KilnW3\.batch1|$(ort_filter W3)\.)"
  python_infer w3 "$R"
done
if [ -n "$FMNIST_DIR" ] && [ -f "$FMNIST_DIR/train-images-idx3-ubyte.gz" -o -f "$FMNIST_DIR/train-images-idx3-ubyte" ]; then
  say "W3 training, $W3_EPOCHS epochs of Fashion-MNIST each: Kiln (KilnEpochs)  (load $(load))"
  kiln_epochs w3 1 "$W3_EPOCHS" "$RAW/w3_train_kiln.json"
  for fw in keras torch; do
    say "W3 training: $fw (anchors' train_bench.py --wl w3 --fw $fw --bs 128 --threads 1 --epochs $W3_EPOCHS)  (load $(load))"
    ANCHOR_RESULTS="$RAW/python" "$PY" "$ANCHORS/py/train_bench.py" --wl w3 --fw "$fw" --bs 128 --threads 1 --epochs "$W3_EPOCHS" \
      > "$RAW/python/w3_train_$fw.log" 2>&1 || { tail -5 "$RAW/python/w3_train_$fw.log"; say "WARNING: train_bench.py w3 $fw failed"; }
    grep -E '^w3 ' "$RAW/python/w3_train_$fw.log" || true
    mv "$RAW/python/w3_train_${fw}_bs128_t1.json" "$RAW/" 2>/dev/null || true
  done
  # Multi-core: the same W2 epochs on 1 and on 2 threads, alternating, so that both see the same machine.
  for t in 1 2 1 2; do
    say "W2 training epochs, batch 128, $t thread(s): Kiln (KilnEpochs)  (load $(load))"
    kiln_epochs w2 "$t" 4 "$RAW/w2_threads_${t}_$(date +%s%N).json"
  done
else
  say "WARNING: no Fashion-MNIST (install dataset-fashion-mnist or set FMNIST_DIR): skipping the W3 training and thread rows"
fi
say "allocation check  (load $(load))"
"$JAVA" "${JAVA_OPTS[@]}" -cp "$JAR" dev.kiln.benchmarks.AllocationCheck > "$RAW/alloc.json"
cat "$RAW/alloc.json"
LOAD_END="$(load)"

# ---------------------------------------------------------------- table
CPU="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
FLAGS="$(grep -m1 -o -w -E 'avx512f|avx2' /proc/cpuinfo | sort -u | paste -sd' ' || true)"
CHECKS="$(sort -u "$RAW/checks.txt" 2>/dev/null || true)"
RUN_DATE="$(date '+%F %T %Z')" CPU="$CPU ($FLAGS)" LOAD_START="$LOAD_START" LOAD_END="$LOAD_END" CHECKS="$CHECKS" \
  "$PY" -c 'import json, os, sys
m = json.load(open(sys.argv[1]))
e = os.environ
m.update(date=e["RUN_DATE"], cpu=e["CPU"], load_start=e["LOAD_START"], load_end=e["LOAD_END"], checks=[c for c in e["CHECKS"].splitlines() if c])
json.dump(m, open(sys.argv[2], "w"), indent=1)' "$RAW/machine_java.json" "$RAW/machine.json"
say "table  (load at start $LOAD_START, at end $LOAD_END)"
"$PY" "$HERE/py/make_table.py" --raw "$RAW" --md "$RESULTS/latest.md" --json "$RESULTS/latest.json"
say "wrote $RESULTS/latest.md, $RESULTS/latest.json and the raw results in $RAW"
