#!/usr/bin/env bash
# Starts, or resumes, the runs that produce the shipped lf-s weights (lf-s x2 first, then x3 and x4 from the x2
# weights), on the BSD400 + T91 training images, validated on Set5 only.
#
#   tools/train-defaults.sh 2|3|4 [RUNS_DIR [TRAIN OPTIONS...]]   (RUNS_DIR defaults to /work/runs; keep it outside the repo)
#   nohup tools/train-defaults.sh 2 >> /work/runs/lf-s-x2/stdout.log 2>&1 &
#   nohup tools/train-defaults.sh 4 /work/runs --lr 2e-4 --threads 1 >> /work/runs/lf-s-x4/stdout.log 2>&1 &
#
# Options after RUNS_DIR are appended to the `oisr train` command line (only ones not set below).
#
# The jars are copied to RUNS_DIR/dist once (OISR_REBUILD=1 rebuilds and recopies), so rebuilding the repo while a
# run is going never swaps classes under it. With an existing checkpoint the run resumes; a new x3 or x4 run starts
# from RUNS_DIR/lf-s-x2/best.safetensors when it exists, else from the shipped lf-s x2 weights.
set -euo pipefail
scale=${1:?usage: $0 2|3|4 [RUNS_DIR]}
runs=${2:-/work/runs}
shift $(( $# < 2 ? $# : 2 ))
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${OISR_SHARED:-$repo/../shared}"
out="$runs/lf-s-x$scale"
dist="$runs/dist"

if [[ "${OISR_REBUILD:-0}" == 1 || ! -f "$dist/oisr-jobs.jar" ]]; then
  (cd "$repo" && mvn -q -B -DskipTests package)
  rm -rf "$dist" && mkdir -p "$dist"
  cp "$repo/jobs/target/oisr-jobs.jar" "$dist/" && cp -r "$repo/jobs/target/lib" "$dist/lib"
fi

start=()
if [[ -f "$out/checkpoints/last.json" ]]; then
  start=(--resume)
elif [[ "$scale" != 2 ]]; then
  x2="$runs/lf-s-x2/best.safetensors"
  [[ -f "$x2" ]] || x2="$repo/model/src/main/resources/org/oisrstream/model/weights/default/lf-s-x2.safetensors"
  start=(--init "$x2")
fi
mkdir -p "$out"
exec java -Xmx8g -cp "$dist/oisr-jobs.jar:$dist/lib/*" org.oisrstream.jobs.cli.OisrCli train \
  --model lf-s --scale "$scale" \
  --data "$shared/datasets/train/BSD400" "$shared/datasets/train/T91-part" \
  --val "$shared/datasets/benchmark/Set5" \
  --out "$out" --cache-dir "$runs/cache" \
  --precision bf16 --channels-last \
  --val-every 100 --checkpoint-every 50 --log-every 10 "${start[@]}" "$@"
