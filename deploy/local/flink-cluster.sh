#!/usr/bin/env bash
# A real Flink session cluster on this machine: a JobManager and TaskManager processes started from the
# flink-runtime entrypoints (the same classes a Flink distribution runs), for trying the job jar end to end,
# supervised: a process that exits is started again, and a restarted JobManager resumes the submitted job from
# its newest checkpoint (see docs/operations.md).
#
#   deploy/local/flink-cluster.sh start [N]          # JobManager + N TaskManagers (default 1) + supervisor; REST on localhost:8081
#   deploy/local/flink-cluster.sh submit ARGS...     # `flink run -d` deploy/target/oisr-stream-job.jar with job ARGS
#   deploy/local/flink-cluster.sh add-taskmanager    # one more TaskManager
#   deploy/local/flink-cluster.sh remove-taskmanager [I]  # stop TaskManager I (default: the newest) for good
#   deploy/local/flink-cluster.sh status             # processes, slots, jobs
#   deploy/local/flink-cluster.sh stop               # stop everything this script started
#
# Build first: mvn -B -DskipTests package (the Flink runtime jars come from jobs/target/lib).
set -euo pipefail
# TaskManagers on jemalloc (where installed) reuse freed LibTorch activations instead of faulting them in again
# every frame (docs/inference.md).
if [[ -f /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 && "${LD_PRELOAD:-}" != *jemalloc* ]]; then
  export LD_PRELOAD="/usr/lib/x86_64-linux-gnu/libjemalloc.so.2${LD_PRELOAD:+:$LD_PRELOAD}"
  export MALLOC_CONF="${MALLOC_CONF:-oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1,retain:true}"
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
conf="$here/conf"
state="${OISR_FLINK_STATE:-$root/deploy/target/local-cluster}"
lib="$root/jobs/target/lib"
job_jar="$root/deploy/target/oisr-stream-job.jar"
# Ports of config.yaml unless overridden (e.g. a second cluster on the same machine, or the chaos tool).
rest_port="${OISR_FLINK_REST_PORT:-$(sed -n '/^rest:/,/^[a-z]/s/^  port: *//p' "$conf/config.yaml")}"
rpc_port="${OISR_FLINK_RPC_PORT:-$(sed -n '/^jobmanager:/,/^[a-z]/{/^  rpc:/,/^  [a-z]/s/^    port: *//p}' "$conf/config.yaml")}"
rest="http://localhost:$rest_port"
ports=("-Drest.port=$rest_port" "-Djobmanager.rpc.port=$rpc_port")
main_class="${OISR_JOB_MAIN:-org.oisrstream.jobs.upscale.UpscaleJob}"
checkpoints="$state/checkpoints"
# Every process started here carries this marker, so a pid is only ever signalled while it is still ours.
marker="-Doisr.local.cluster=$state"

log() { echo "flink: $*"; }

flink_classpath() {
  # Flink's own runtime plus logging: what a distribution's lib/ holds. The job jar rides along on the
  # TaskManager so LibTorch's natives load once per JVM, from the parent class loader (see config.yaml).
  find "$lib" -maxdepth 1 -name '*.jar' | grep -E '/(flink-|log4j|slf4j|commons-|jackson|snakeyaml|kryo|minlog|objenesis|reflectasm|lz4|snappy|zstd|HdrHistogram|jsr305|caffeine|javassist|async-profiler)' \
    | grep -vE 'flink-test-utils|flink-connector-kafka' | tr '\n' ':'
}

is_ours() { # pid
  [[ -n "${1:-}" && -r "/proc/$1/cmdline" ]] || return 1
  local cmd
  cmd=$( { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null) || return 1
  [[ $cmd == *"$marker "* ]]
}

pid_of() { # name
  [[ -f "$state/$1.pid" ]] && cat "$state/$1.pid" || true
}

start_process() { # name main-class [extra-classpath]
  local name=$1 cls=$2 extra=${3:-}
  mkdir -p "$state" "$checkpoints" "$state/plugins"
  # Checkpoints and the JobManager's HA data live under the state folder (absolute paths are only known here).
  FLINK_PLUGINS_DIR="$state/plugins" nohup java "$marker" -Dlog.file="$state/$name.log" -Dlog4j.configurationFile="$conf/log4j2.properties" \
    --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
    -cp "$(flink_classpath)$extra" "$cls" --configDir "$conf" "${ports[@]}" \
    "-Dexecution.checkpointing.dir=file://$checkpoints" "-Dexecution.checkpointing.savepoint-dir=file://$state/savepoints" \
    >>"$state/$name.out" 2>&1 &
  echo $! >"$state/$name.pid"
}

start_jobmanager() { start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint; }

start_taskmanager() { # index
  start_process "taskmanager-$1" org.apache.flink.runtime.taskexecutor.TaskManagerRunner ":$job_jar"
}

taskmanager_indexes() {
  find "$state" -maxdepth 1 -name 'taskmanager-*.pid' 2>/dev/null | sed 's/.*taskmanager-\([0-9]*\)\.pid/\1/' | sort -n
}

wait_for_taskmanagers() { # count
  for _ in $(seq 1 120); do
    local n
    n=$(curl -fsS "$rest/overview" 2>/dev/null | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p') || true
    if [[ -n "$n" && "$n" -ge "$1" ]]; then log "cluster up at $rest with $n TaskManager(s)"; return 0; fi
    sleep 1
  done
  log "fewer than $1 TaskManager(s) registered within 120 s; see $state/*.log" >&2
  return 1
}

submit_job() { # [checkpoint-to-resume-from]
  local -a args=()
  mapfile -t args <"$state/job.args"
  local -a restore=()
  [[ -n "${1:-}" ]] && restore=(-s "$1")
  # Flink's own command-line client (the class behind `flink run`), against this cluster's REST endpoint.
  FLINK_CONF_DIR="$conf" java --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
    -cp "$(flink_classpath)" org.apache.flink.client.cli.CliFrontend run -d "${ports[@]}" "${restore[@]}" -c "$main_class" "$job_jar" "${args[@]}"
}

newest_checkpoint() {
  # A completed checkpoint has its _metadata; the newest one of any run of the job is where it goes on.
  find "$checkpoints" -path '*/chk-*/_metadata' -printf '%T@ %h\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-
}

running_jobs() {
  { curl -fsS "$rest/jobs/overview" 2>/dev/null || true; } | grep -o '"state":"[A-Z]*"' | grep -cvE 'FINISHED|CANCELED|FAILED' || true
}

resume_job() {
  # Standalone Flink has HA services only for ZooKeeper and Kubernetes; on one machine the supervisor is the HA:
  # it kept the job's arguments, the checkpoints are retained in a local folder, and it submits the job again
  # from the newest one (sources, state and the sink's transactions all come from that checkpoint).
  [[ -f "$state/job.args" ]] || return 0
  for _ in $(seq 1 60); do curl -fsS "$rest/overview" >/dev/null 2>&1 && break; sleep 1; done
  [[ "$(running_jobs)" -eq 0 ]] || return 0
  local chk
  chk=$(newest_checkpoint)
  log "supervisor: resubmitting the job${chk:+ from $chk}"
  submit_job "$chk" >>"$state/supervisor.log" 2>&1 || log "supervisor: resubmission failed; see $state/supervisor.log"
}

supervise() {
  # Restarts any process of ours that exited (a TaskManager ended by a fatal error, a crashed JobManager), until
  # `stop` removes the run marker. A removed TaskManager has no pid file and stays down.
  while [[ -f "$state/running" ]]; do
    for pidfile in "$state"/jobmanager.pid "$state"/taskmanager-*.pid; do
      [[ -f "$pidfile" && -f "$state/running" ]] || continue
      local name pid
      name=$(basename "$pidfile" .pid)
      pid=$(cat "$pidfile")
      if ! is_ours "$pid"; then
        log "supervisor: $name (pid $pid) exited at $(date -u +%H:%M:%S); starting it again"
        if [[ $name == jobmanager ]]; then
          start_jobmanager
          resume_job &
        else
          start_taskmanager "${name#taskmanager-}"
        fi
      fi
    done
    sleep 1
  done
}

stop_pid() { # pid
  local pid=$1
  is_ours "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do is_ours "$pid" || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start)
    [[ -d "$lib" && -f "$job_jar" ]] || { echo "flink: build first: mvn -B -DskipTests package" >&2; exit 1; }
    if is_ours "$(pid_of jobmanager)"; then echo "flink: already running (see status)" >&2; exit 1; fi
    count=${2:-1}
    mkdir -p "$state"
    rm -f "$state"/taskmanager-*.pid "$state/job.args"
    touch "$state/running"
    start_jobmanager
    for i in $(seq 1 "$count"); do start_taskmanager "$i"; done
    nohup "$0" supervise >>"$state/supervisor.log" 2>&1 &
    echo $! >"$state/supervisor.pid"
    wait_for_taskmanagers "$count"
    ;;
  supervise)
    supervise
    ;;
  submit)
    shift
    mkdir -p "$state"
    printf '%s\n' "$@" >"$state/job.args"
    submit_job
    ;;
  add-taskmanager)
    last=$(taskmanager_indexes | tail -1)
    next=$(( ${last:-0} + 1 ))
    start_taskmanager "$next"
    log "taskmanager-$next started (pid $(pid_of "taskmanager-$next"))"
    ;;
  remove-taskmanager)
    index=${2:-$(taskmanager_indexes | tail -1)}
    [[ -n "$index" && -f "$state/taskmanager-$index.pid" ]] || { echo "flink: no taskmanager-${index:-?}" >&2; exit 1; }
    pid=$(pid_of "taskmanager-$index")
    rm -f "$state/taskmanager-$index.pid"   # first, so the supervisor does not start it again
    stop_pid "$pid"
    log "taskmanager-$index stopped"
    ;;
  status)
    for pidfile in "$state"/supervisor.pid "$state"/jobmanager.pid "$state"/taskmanager-*.pid; do
      [[ -f "$pidfile" ]] || continue
      name=$(basename "$pidfile" .pid); pid=$(cat "$pidfile")
      if is_ours "$pid" || [[ $name == supervisor && -d /proc/$pid ]]; then echo "$name: running (pid $pid)"; else echo "$name: not running"; fi
    done
    curl -fsS "$rest/overview" && echo && curl -fsS "$rest/jobs/overview" && echo
    ;;
  stop)
    rm -f "$state/running"
    if [[ -f "$state/supervisor.pid" ]]; then
      spid=$(cat "$state/supervisor.pid")
      if tr '\0' ' ' <"/proc/$spid/cmdline" 2>/dev/null | grep -q 'flink-cluster.sh supervise'; then kill "$spid" 2>/dev/null || true; fi
      rm -f "$state/supervisor.pid"
    fi
    for pidfile in "$state"/taskmanager-*.pid "$state"/jobmanager.pid; do
      [[ -f "$pidfile" ]] || continue
      stop_pid "$(cat "$pidfile")"; rm -f "$pidfile"
    done
    # Anything else started with this state folder's marker (e.g. a TaskManager whose pid file was lost).
    for proc in /proc/[0-9]*; do
      pid=${proc#/proc/}
      [[ $pid != "$$" ]] && is_ours "$pid" && stop_pid "$pid"
    done
    rm -f "$state/job.args"
    log "stopped"
    ;;
  *)
    sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
