#!/usr/bin/env bash
# A real Flink session cluster on this machine: one JobManager and one TaskManager process started from the
# flink-runtime entrypoints (the same classes a Flink distribution runs), for trying the job jar end to end.
#
#   deploy/local/flink-cluster.sh start            # JobManager + TaskManager, REST on localhost:8081
#   deploy/local/flink-cluster.sh submit ARGS...   # `flink run -d` deploy/target/oisr-stream-job.jar with job ARGS
#   deploy/local/flink-cluster.sh status | stop
#
# Build first: mvn -B -DskipTests package (the Flink runtime jars come from jobs/target/lib).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
conf="$here/conf"
state="${OISR_FLINK_STATE:-$root/deploy/target/local-cluster}"
lib="$root/jobs/target/lib"
job_jar="$root/deploy/target/oisr-stream-job.jar"
rest="http://localhost:$(sed -n '/^rest:/,/^[a-z]/s/^  port: *//p' "$conf/config.yaml")"
main_class="${OISR_JOB_MAIN:-org.oisrstream.jobs.upscale.UpscaleJob}"

flink_classpath() {
  # Flink's own runtime plus logging: what a distribution's lib/ holds. The job jar rides along on the
  # TaskManager so LibTorch's natives load once per JVM, from the parent class loader (see config.yaml).
  find "$lib" -maxdepth 1 -name '*.jar' | grep -E '/(flink-|log4j|slf4j|commons-|jackson|snakeyaml|kryo|minlog|objenesis|reflectasm|lz4|snappy|zstd|HdrHistogram|jsr305|caffeine|javassist|async-profiler)' \
    | grep -vE 'flink-test-utils|flink-connector-kafka' | tr '\n' ':'
}

start_process() { # name main-class
  local name=$1 cls=$2 extra=${3:-}
  mkdir -p "$state"
  nohup java -Dlog.file="$state/$name.log" -Dlog4j.configurationFile="$conf/log4j2.properties" \
    --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
    -cp "$(flink_classpath)$extra" "$cls" --configDir "$conf" >"$state/$name.out" 2>&1 &
  echo $! >"$state/$name.pid"
}

wait_for_slots() {
  for _ in $(seq 1 90); do
    if curl -fsS "$rest/overview" 2>/dev/null | grep -q '"slots-total":[1-9]'; then
      echo "flink: cluster up at $rest"; return 0
    fi
    sleep 1
  done
  echo "flink: no TaskManager registered within 90 s; see $state/*.log" >&2
  return 1
}

case "${1:-}" in
  start)
    [[ -d "$lib" && -f "$job_jar" ]] || { echo "flink: build first: mvn -B -DskipTests package" >&2; exit 1; }
    start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
    start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner ":$job_jar"
    wait_for_slots
    ;;
  submit)
    # Flink's own command-line client (the class behind `flink run`), against this cluster's REST endpoint.
    shift
    FLINK_CONF_DIR="$conf" java --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
      -cp "$(flink_classpath)" org.apache.flink.client.cli.CliFrontend run -d -c "$main_class" "$job_jar" "$@"
    ;;
  status)
    curl -fsS "$rest/overview" && echo && curl -fsS "$rest/jobs/overview" && echo
    ;;
  stop)
    for name in taskmanager jobmanager; do
      if [[ -f "$state/$name.pid" ]]; then kill "$(cat "$state/$name.pid")" 2>/dev/null || true; rm -f "$state/$name.pid"; fi
    done
    echo "flink: stopped"
    ;;
  *)
    sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
