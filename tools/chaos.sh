#!/usr/bin/env bash
# Chaos run of the whole system on this machine (a tool, not a test: CI does not run it; it takes many minutes).
#
# Starts a restartable broker (oisr kafka --data-dir) and the supervised local Flink cluster
# (deploy/local/flink-cluster.sh), submits the upscale job, ingests several streams (one paced like a live source
# through a FIFO), and meanwhile injects faults on a schedule: kill -9 of the TaskManager N times, of the
# JobManager once, of the broker once (restarted on its data), and a burst of bad records. Then it assembles every
# stream and prints one table: streams, chunks, faults, chunks lost and duplicated (read_committed), files whose
# video frames are identical (framemd5 hashes) to a fault-free `oisr upscale` of the same clip, recovery times.
#
#   tools/chaos.sh [--model bicubic] [--scale 2] [--streams 3] [--seconds 8] [--live-seconds 90] [--tm-kills 3]
#                  [--broker-down 5] [--broker-only]
#
# --broker-down S keeps the killed broker down for S seconds before restarting it (an outage, e.g. 120);
# --broker-only injects only that broker outage (no process kills, no bad records) and reports whether every
# TaskManager process lived through it.
#
# Build first: mvn -B -DskipTests package. Work files go to $CHAOS_DIR (default: a new folder in /tmp), kept.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=bicubic scale=2 streams=3 seconds=8 live_seconds=90 tm_kills=3 chunk_seconds=0.5 broker_down=5 broker_only=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --model) model=$2; shift 2 ;; --scale) scale=$2; shift 2 ;; --streams) streams=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;; --live-seconds) live_seconds=$2; shift 2 ;; --tm-kills) tm_kills=$2; shift 2 ;;
    --broker-down) broker_down=$2; shift 2 ;; --broker-only) broker_only=1; shift ;;
    *) sed -n '2,19p' "$0" >&2; exit 2 ;;
  esac
done
[[ -f "$root/jobs/target/oisr-jobs.jar" && -f "$root/deploy/target/oisr-stream-job.jar" ]] \
  || { echo "chaos: build first: mvn -B -DskipTests package" >&2; exit 1; }
work="${CHAOS_DIR:-$(mktemp -d /tmp/oisr-chaos-XXXXXX)}"
mkdir -p "$work"
cp="$root/jobs/target/oisr-jobs.jar:$root/jobs/target/lib/*"
jvm=(--add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED)
oisr() { java -Xmx2g "${jvm[@]}" -cp "$cp" org.oisrstream.jobs.cli.OisrCli "$@"; }
records() { java -cp "$cp" "$root/tools/ChaosRecords.java" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2-$1:.1f}')"; }
say() { echo "chaos $(date -u +%H:%M:%S): $*" | tee -a "$work/chaos.log" >&2; }

export OISR_FLINK_STATE="$work/cluster" OISR_FLINK_REST_PORT=$(free_port) OISR_FLINK_RPC_PORT=$(free_port)
rest="http://localhost:$OISR_FLINK_REST_PORT"
cluster="$root/deploy/local/flink-cluster.sh"
kafka_port=$(free_port)
bootstrap="127.0.0.1:$kafka_port"
in=chaos.in out=chaos.out dead=chaos.dead
kafka_starts=0

cleanup() {
  "$cluster" stop >/dev/null 2>&1 || true
  [[ -n "${kafka_pid:-}" ]] && kill "$kafka_pid" 2>/dev/null || true
  local pid
  for pid in $(jobs -p); do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

start_kafka() {
  # java itself in the background (not the oisr function, whose subshell would get the pid and the kill -9).
  kafka_starts=$((kafka_starts + 1))
  java -Xmx2g "${jvm[@]}" -cp "$cp" org.oisrstream.jobs.cli.OisrCli kafka --data-dir "$work/kafka" --port "$kafka_port" \
    >"$work/kafka-$kafka_starts.out" 2>>"$work/kafka.err" &
  kafka_pid=$!
  for _ in $(seq 1 600); do grep -q "$bootstrap" "$work/kafka-$kafka_starts.out" 2>/dev/null && return 0; sleep 1; done
  say "broker did not come up; see $work/kafka.err"; return 1
}

tm_count() {
  curl -fsS "$rest/overview" 2>/dev/null | python3 -c 'import sys,json; print(json.load(sys.stdin)["taskmanagers"])' 2>/dev/null || echo -1
}
job_all_running() {
  curl -fsS "$rest/jobs/overview" 2>/dev/null | python3 -c '
import sys, json
jobs = json.load(sys.stdin)["jobs"]
print(1 if any(j["state"] == "RUNNING" and j["tasks"]["running"] == j["tasks"]["total"] for j in jobs) else 0)' 2>/dev/null || echo 0
}
wait_until() { # seconds command...: polls every 0.5 s
  local limit=$1; shift
  local end=$(( $(date +%s) + limit ))
  while (( $(date +%s) < end )); do [[ "$("$@")" == 1 ]] && return 0; sleep 0.5; done
  return 1
}
tm_at_least() { [[ $(tm_count) -ge $1 ]] && echo 1 || echo 0; }
tm_below() { local n; n=$(tm_count); [[ $n -ge 0 && $n -lt $1 ]] && echo 1 || echo 0; }
job_not_running() { [[ $(job_all_running) == 0 ]] && echo 1 || echo 0; }

# --- clips and their fault-free references ------------------------------------------------------------------
patterns=(testsrc2 smptehdbars mandelbrot rgbtestsrc yuvtestsrc)
make_clip() { # name pattern seconds file
  ffmpeg -loglevel error -y -f lavfi -i "$2=size=96x54:rate=15" -f lavfi -i "sine=frequency=$((300 + RANDOM % 500)):sample_rate=48000" \
    -t "$3" -c:v libx264 -g 8 -pix_fmt yuv420p -c:a aac -shortest "$4"
}
say "work folder $work; model $model x$scale; $streams streams ($((streams - 1)) of ${seconds}s, one live of ${live_seconds}s)"
for i in $(seq 1 $((streams - 1))); do make_clip "s$i" "${patterns[$(( (i - 1) % 5 ))]}" "$seconds" "$work/s$i.mp4"; done
make_clip live testsrc2 "$live_seconds" "$work/live-src.mp4"
ffmpeg -loglevel error -y -i "$work/live-src.mp4" -c copy -f mpegts "$work/live.ts"
names=(); for i in $(seq 1 $((streams - 1))); do names+=("s$i"); done; names+=(live)
clip_of() { [[ $1 == live ]] && echo "$work/live.ts" || echo "$work/$1.mp4"; }

# The references run first, not beside the cluster: on 2 cores their JVMs slowed the first recovery measured (a
# TaskManager killed while they ran took 13.4 s from registration to running, later ones 4-5 s).
say "fault-free references (oisr upscale, one after another, before the cluster starts)"
for s in "${names[@]}"; do
  oisr upscale "$(clip_of "$s")" "$work/ref-$s.mp4" --model "$model" --scale "$scale" --chunk-seconds "$chunk_seconds" \
    >"$work/ref-$s.out" 2>&1 || echo "reference $s failed" >>"$work/ref-failed"
done

# --- broker, cluster, job -----------------------------------------------------------------------------------
start_kafka
say "broker at $bootstrap (data in $work/kafka)"
oisr topics --bootstrap-servers "$bootstrap" "$in" "$out" "$dead" >/dev/null
"$cluster" start 1 >"$work/cluster-start.out" 2>&1
"$cluster" submit --bootstrap-servers "$bootstrap" --input-topic "$in" --output-topic "$out" --dead-letter-topic "$dead" \
  --group-id chaos --transactional-id-prefix chaos --model "$model" --scale "$scale" --checkpoint-interval-ms 2000 \
  >"$work/submit.out" 2>&1
wait_until 300 job_all_running || { say "job did not start; see $work/submit.out"; exit 1; }
say "job running on the local cluster ($rest)"

# --- ingest: bulk streams at once, the live one paced through a FIFO ----------------------------------------
# An ingest waits out the broker's absence (its sends are retried, not failed, for as long as the outage lasts).
wait_ms=$(( (broker_down + 120) * 1000 ))
ingest_kafka=(--kafka-property "delivery.timeout.ms=$wait_ms" --kafka-property "max.block.ms=$wait_ms")
for s in "${names[@]}"; do
  [[ $s == live ]] && continue
  oisr ingest "$work/$s.mp4" --bootstrap-servers "$bootstrap" --topic "$in" --stream-id "$s" --chunk-seconds "$chunk_seconds" \
    "${ingest_kafka[@]}" >"$work/ingest-$s.out" 2>&1 &
done
mkfifo "$work/live.fifo"
ffmpeg -loglevel error -re -i "$work/live.ts" -c copy -f mpegts -y "$work/live.fifo" &
oisr ingest "$work/live.fifo" --bootstrap-servers "$bootstrap" --topic "$in" --stream-id live --chunk-seconds "$chunk_seconds" \
  "${ingest_kafka[@]}" >"$work/ingest-live.out" 2>&1 &
live_ingest=$!

# --- faults ---------------------------------------------------------------------------------------------------
faults=() detect=() after_reg=() recover=()
settle() { sleep 8; }
lost_in_log() { # epoch-seconds: time of the first "no longer reachable" after it in the JobManager's log
  python3 - "$1" "$OISR_FLINK_STATE/jobmanager.log" <<'PY'
import sys, datetime
t0 = float(sys.argv[1]); day = datetime.datetime.fromtimestamp(t0).date()
for line in open(sys.argv[2], errors="replace"):
    if "is no longer reachable" in line and line[:2].isdigit():
        t = datetime.datetime.combine(day, datetime.datetime.strptime(line[:12], "%H:%M:%S,%f").time()).timestamp()
        if t >= t0 - 0.5:
            print(f"{t:.3f}"); break
PY
}
kill_taskmanager() {
  local pid t0 t_lost t_reg t_run
  wait_until 300 job_all_running || true
  pid=$(cat "$OISR_FLINK_STATE/taskmanager-1.pid")
  t0=$(now); kill -9 "$pid"
  say "kill -9 TaskManager (pid $pid)"
  wait_until 60 tm_below 1 || true
  wait_until 600 tm_at_least 1 && t_reg=$(now)
  wait_until 600 job_all_running && t_run=$(now)
  # When the JobManager noticed, from its log (REST's TaskManager count lags by seconds on a loaded machine).
  t_lost=$(lost_in_log "$t0")
  detect+=("${t_lost:+$(elapsed "$t0" "$t_lost")}")
  after_reg+=("$(elapsed "$t_reg" "$t_run")")
  recover+=("$(elapsed "$t0" "$t_run")")
  faults+=("TM kill")
  say "  lost after ${detect[-1]:-?} s, replacement registered after $(elapsed "$t0" "$t_reg") s, job running $(elapsed "$t_reg" "$t_run") s later"
}
kill_jobmanager() {
  local pid t0 t_run
  wait_until 300 job_all_running || true
  pid=$(cat "$OISR_FLINK_STATE/jobmanager.pid")
  t0=$(now); kill -9 "$pid"
  say "kill -9 JobManager (pid $pid)"
  wait_until 30 job_not_running || true
  wait_until 900 job_all_running && t_run=$(now)
  recover+=("$(elapsed "$t0" "$t_run")"); faults+=("JM kill")
  say "  job running again (resubmitted from its newest checkpoint) after ${recover[-1]} s"
}
taskmanager_pids() { # pid of every TaskManager of the cluster, from its pid files
  cat "$OISR_FLINK_STATE"/taskmanager-*.pid 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//'
}
alive() { local p; for p in "$@"; do [[ -d /proc/$p ]] || { echo 0; return; }; done; echo 1; }
kill_broker() {
  local t0 t_up tms_before tms_after restarts_before restarts_after
  wait_until 300 job_all_running || true
  tms_before=$(taskmanager_pids)
  restarts_before=$(grep -c 'starting it again' "$OISR_FLINK_STATE/supervisor.log" 2>/dev/null || true)
  t0=$(now); kill -9 "$kafka_pid"; wait "$kafka_pid" 2>/dev/null || true
  say "kill -9 broker (pid $kafka_pid); restarting it on its data after ${broker_down} s"
  sleep "$broker_down"
  start_kafka; t_up=$(now)
  faults+=("broker kill (${broker_down} s down)")
  wait_until 900 job_all_running && recover+=("$(elapsed "$t0" "$(now)")")
  tms_after=$(taskmanager_pids)
  restarts_after=$(grep -c 'starting it again' "$OISR_FLINK_STATE/supervisor.log" 2>/dev/null || true)
  # shellcheck disable=SC2086
  broker_outage="TaskManager pids before the outage: $tms_before; after: $tms_after (still running: \
$([[ $(alive $tms_before) == 1 ]] && echo yes || echo no)); supervisor restarts meanwhile: $((restarts_after - restarts_before))"
  say "  broker back after $(elapsed "$t0" "$t_up") s; $broker_outage"
}
bad_burst() {
  if records bad "$bootstrap" "$in" s1 >>"$work/chaos.log" 2>&1; then
    faults+=("6 bad records"); say "sent a burst of 6 bad records"
  else
    say "the burst of bad records failed; see $work/chaos.log"
  fi
}

if (( broker_only )); then
  settle; kill_broker
else
  settle; kill_taskmanager
  bad_burst
  settle; kill_taskmanager
  settle; kill_jobmanager
  settle; kill_broker
  for _ in $(seq 3 "$tm_kills"); do settle; kill_taskmanager; done
fi

say "waiting for the ingests"
wait "$live_ingest" || say "live ingest failed: $(tail -1 "$work/ingest-live.out")"

# --- assemble and compare ------------------------------------------------------------------------------------
frame_hashes() { ffmpeg -loglevel error -i "$1" -map 0:v -f framemd5 - 2>/dev/null | grep -v '^#' | awk -F, '{print $NF}'; }
declare -A identical
for s in "${names[@]}"; do
  oisr assemble --bootstrap-servers "$bootstrap" --topic "$out" --dead-letter-topic "$dead" --stream-id "$s" \
    --output "$work/out-$s.mp4" --timeout PT10M >"$work/assemble-$s.out" 2>&1 || say "assemble $s failed: $(tail -1 "$work/assemble-$s.out")"
  if [[ -f "$work/out-$s.mp4" && -f "$work/ref-$s.mp4" ]] && cmp -s <(frame_hashes "$work/out-$s.mp4") <(frame_hashes "$work/ref-$s.mp4"); then
    identical[$s]=yes
  else
    identical[$s]=no
  fi
done

records count "$bootstrap" "$in" >"$work/count-in.txt"
records count "$bootstrap" "$out" >"$work/count-out.txt"
records count "$bootstrap" "$dead" >"$work/count-dead.txt"

max() { printf '%s\n' "$@" | grep -v '^$' | sort -g | tail -1; }
{
  echo
  echo "| stream | chunks in | chunks out (records) | lost | duplicated | frames identical to fault-free run |"
  echo "|---|---|---|---|---|---|"
  total_lost=0 total_dup=0
  for s in "${names[@]}"; do
    read -r _ n_in _ _ < <(grep "^$s " "$work/count-in.txt" || echo "$s 0 0 0")
    read -r _ records_out distinct_out _ < <(grep "^$s " "$work/count-out.txt" || echo "$s 0 0 0")
    lost=$(( n_in - distinct_out )); dup=$(( records_out - distinct_out ))
    total_lost=$(( total_lost + lost )); total_dup=$(( total_dup + dup ))
    echo "| $s | $n_in | $distinct_out ($records_out) | $lost | $dup | ${identical[$s]} |"
  done
  echo
  echo "Faults injected: $(printf '%s, ' "${faults[@]}" | sed 's/, $//')."
  echo "Dead letters: $(awk '{s+=$2} END {print s+0}' "$work/count-dead.txt") ($(awk '{printf "%s%s", (NR>1?", ":""), $1}' "$work/count-dead.txt"))."
  echo "TaskManager loss noticed after (s): ${detect[*]:-}; worst $(max "${detect[@]}")."
  echo "Job running again after the replacement TaskManager registered (s): ${after_reg[*]}; worst $(max "${after_reg[@]}")."
  echo "Fault to job running again (s): ${recover[*]}; worst $(max "${recover[@]}")."
  [[ -n "${broker_outage:-}" ]] && echo "Broker outage: $broker_outage."
  echo "Processes the supervisor restarted during the whole run: $(grep -c 'starting it again' "$OISR_FLINK_STATE/supervisor.log" 2>/dev/null || true)."
  same=(); for s in "${names[@]}"; do cmp -s "$work/out-$s.mp4" "$work/ref-$s.mp4" && same+=("$s"); done
  echo "Files byte-identical to the fault-free run: ${#same[@]} of ${#names[@]} (${same[*]:-none})."
  echo "Lost: $total_lost, duplicated: $total_dup. Work folder: $work"
} | tee "$work/table.md"
