#!/usr/bin/env bash
# A one-node Kafka broker for Sluice: KRaft, broker and controller in one process, listening on 127.0.0.1 only,
# run from the org.apache.kafka jars on Maven Central (examples/kafka/broker/pom.xml). This script is the one
# place that says how that broker starts and stops: the README's Kafka example, the integration tests (through
# KafkaBrokerExtension in testing/kafka) and CI all go through it.
#
#   kafka.sh start  [--port N] [--controller-port N] [--data DIR] [--owner-pid PID]
#   kafka.sh stop   [--data DIR]
#   kafka.sh status [--data DIR]
#
#   --port N             the client listener (default 9092)
#   --controller-port N  the KRaft controller listener (default: port + 1)
#   --data DIR           config, storage, pid file and broker.log (default: examples/kafka/data). A DIR that
#                        was started before keeps its ports and its records: start again with the same DIR to
#                        restart the same broker.
#   --owner-pid PID      stop the broker once process PID has exited (tests pass their JVM's pid, so that a
#                        killed test run leaves no broker behind)
#
# start does nothing when the broker already answers. It needs JDK 21 or newer (JAVA_HOME, java on the PATH,
# or the newest under /usr/lib/jvm) and, the first time, Maven to fetch the jars into broker/target/lib.
#
# Environment: SLUICE_KAFKA_JAVA_OPTS (default "-Xms128m -Xmx512m"), SLUICE_KAFKA_START_TIMEOUT seconds
# (default 120), SLUICE_KAFKA_STOP_TIMEOUT seconds (default 60), MVN (default mvn).
set -euo pipefail

# The broker and the owner watcher run in their own session, so that a Ctrl-C meant for whoever ran this
# script does not reach them. A background job of a script leads no process group, so setsid does not fork
# and $! stays the broker's pid.
if command -v setsid >/dev/null; then detach=(setsid); else detach=(); fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
broker_pom="$here/broker/pom.xml"
lib="$here/broker/target/lib"
# Written into the log by kafka.server.KafkaRaftServer once it serves clients; an open port alone is not
# enough, the listener binds before the broker has caught up with its metadata.
ready_marker='Kafka Server started'

die() {
    echo "kafka.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '7,9p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
    exit 2
}

answers() { # port
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

is_broker() { # pid: alive and ours (pid files outlive reboots; pids get reused)
    [[ -n $1 ]] && kill -0 "$1" 2>/dev/null || return 1
    [[ ! -r /proc/$1/cmdline ]] || tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'kafka\.Kafka'
}

broker_pid() {
    if [[ -f $data/broker.pid ]]; then cat "$data/broker.pid"; fi
}

java_major() { # java binary -> major version, or nothing
    local v
    v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1)
    v=${v#1.}
    [[ $v =~ ^[0-9]+$ ]] && echo "$v"
}

find_java() {
    local candidate v best="" best_v=0
    for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)"; do
        [[ -x $candidate ]] || continue
        v=$(java_major "$candidate") || continue
        if ((v >= 21)); then
            echo "$candidate"
            return
        fi
    done
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x $candidate ]] || continue
        v=$(java_major "$candidate") || continue
        if ((v > best_v)); then best=$candidate best_v=$v; fi
    done
    ((best_v >= 21)) || die "no JDK 21 or newer: set JAVA_HOME to one"
    echo "$best"
}

# The jars, fetched once into broker/target/lib. The stamp is the checksum of the pom that says what is
# fetched, so a new Kafka version there fetches again.
fetch_jars() {
    local stamp
    stamp=$(cksum <"$broker_pom" | cut -d' ' -f1)
    [[ -f $lib/.fetched && $(cat "$lib/.fetched") == "$stamp" ]] && return
    mkdir -p "$here/broker/target"
    (
        # Two starts at once (two test JVMs) fetch once.
        if command -v flock >/dev/null; then flock 9; fi
        [[ -f $lib/.fetched && $(cat "$lib/.fetched") == "$stamp" ]] && exit 0
        echo "kafka.sh: fetching the Kafka broker jars with Maven into $lib (first start only)" >&2
        rm -rf "$lib"
        if ! JAVA_HOME=$java_home "${MVN:-mvn}" -B -q -f "$broker_pom" dependency:copy-dependencies \
            >"$here/broker/target/fetch.log" 2>&1; then
            tail -n 30 "$here/broker/target/fetch.log" >&2
            die "Maven could not fetch the broker jars; the whole output is in $here/broker/target/fetch.log"
        fi
        echo "$stamp" >"$lib/.fetched"
    ) 9>"$here/broker/target/fetch.lock"
}

write_config() {
    mkdir -p "$data/kraft"
    cat >"$data/server.properties" <<EOF
# Written by examples/kafka/kafka.sh on every start; edit the script, not this file.
# One node that is both the KRaft controller and the broker, reachable on 127.0.0.1 only.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
log.dirs=$data/kraft

# One node: every topic, internal ones included, has one replica, and one in-sync replica is enough.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# A small machine: few threads, and no wait for more group members that will never come.
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
group.initial.rebalance.delay.ms=0

# After a kill -9 the controller keeps the dead broker registered until its session times out, and the
# restarted broker waits for that: keep the wait to seconds (default 9 s).
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
    cat >"$data/log4j2.properties" <<'EOF'
# Written by examples/kafka/kafka.sh: everything to the console, which the script sends to broker.log.
status = warn
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
logger.state.name = state.change.logger
logger.state.level = warn
EOF
}

format_storage() {
    [[ -f $data/kraft/meta.properties ]] && return
    # A cluster ID is 16 random bytes in unpadded base64url; Kafka's own generator also avoids a leading '-'.
    local cluster_id
    cluster_id=-
    while [[ $cluster_id == -* ]]; do
        cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    done
    if ! "$java" -cp "$lib/*" -Dlog4j2.configurationFile="$data/log4j2.properties" kafka.tools.StorageTool \
        format --standalone --cluster-id "$cluster_id" --config "$data/server.properties" \
        >"$data/format.log" 2>&1; then
        cat "$data/format.log" >&2
        die "could not format $data/kraft"
    fi
}

# A watcher, detached like the broker, that stops the broker when the owner has gone.
watch_owner() {
    # shellcheck disable=SC2016 # expanded by the watcher's shell, from its arguments
    "${detach[@]}" bash -c '
        while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done
        kill -0 "$2" 2>/dev/null && exec "$3" stop --data "$4"' \
        watch-owner "$owner_pid" "$1" "$here/kafka.sh" "$data" </dev/null >/dev/null 2>&1 &
}

start() {
    local pid
    if [[ -f $data/server.properties ]]; then
        # A restart: the controller's address is part of the formatted metadata, so the ports stay.
        local stored_port stored_controller_port
        stored_port=$(sed -n 's|^listeners=PLAINTEXT://127\.0\.0\.1:\([0-9]*\),.*|\1|p' "$data/server.properties")
        stored_controller_port=$(sed -n 's|^controller\.quorum\.bootstrap\.servers=127\.0\.0\.1:||p' \
            "$data/server.properties")
        [[ -z $port || $port == "$stored_port" ]] ||
            die "$data was a broker on port $stored_port (expected: --port $stored_port, or another --data)"
        [[ -z $controller_port || $controller_port == "$stored_controller_port" ]] ||
            die "$data was a controller on port $stored_controller_port (expected: --controller-port $stored_controller_port)"
        port=$stored_port controller_port=$stored_controller_port
    fi
    port=${port:-9092}
    controller_port=${controller_port:-$((port + 1))}

    pid=$(broker_pid)
    if answers "$port"; then
        if is_broker "$pid"; then
            echo "kafka.sh: already running (pid $pid), bootstrap servers 127.0.0.1:$port"
        else
            echo "kafka.sh: 127.0.0.1:$port already answers (not started from $data); leaving it"
        fi
        return
    fi
    is_broker "$pid" && die "pid $pid from $data runs but 127.0.0.1:$port does not answer; see $data/broker.log"

    java=$(find_java)
    java_home=$(cd "$(dirname "$java")/.." && pwd)
    fetch_jars
    write_config
    format_storage

    [[ ! -f $data/broker.log ]] || mv -f "$data/broker.log" "$data/broker.log.1"
    local started=$SECONDS
    # shellcheck disable=SC2086 # the options are words on purpose
    "${detach[@]}" "$java" ${SLUICE_KAFKA_JAVA_OPTS:--Xms128m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$data/log4j2.properties" -Dkafka.logs.dir="$data" \
        -cp "$lib/*" kafka.Kafka "$data/server.properties" </dev/null >"$data/broker.log" 2>&1 &
    pid=$!
    echo "$pid" >"$data/broker.pid"
    [[ -z $owner_pid ]] || watch_owner "$pid"

    local deadline=$((SECONDS + ${SLUICE_KAFKA_START_TIMEOUT:-120}))
    until answers "$port" && grep -q "$ready_marker" "$data/broker.log"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 40 "$data/broker.log" >&2
            rm -f "$data/broker.pid"
            die "the broker exited while starting; the log is $data/broker.log"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 40 "$data/broker.log" >&2
            kill -KILL "$pid" 2>/dev/null || true
            rm -f "$data/broker.pid"
            die "the broker did not serve clients on 127.0.0.1:$port within ${SLUICE_KAFKA_START_TIMEOUT:-120} s (no '$ready_marker' in its log); the log is $data/broker.log"
        fi
        sleep 0.2
    done
    echo "kafka.sh: started (pid $pid) in $((SECONDS - started)) s, bootstrap servers 127.0.0.1:$port, data $data"
}

stop() {
    local pid
    pid=$(broker_pid)
    if ! is_broker "$pid"; then
        rm -f "$data/broker.pid"
        echo "kafka.sh: not running ($data)"
        return
    fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + ${SLUICE_KAFKA_STOP_TIMEOUT:-60}))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            echo "kafka.sh: pid $pid did not stop within ${SLUICE_KAFKA_STOP_TIMEOUT:-60} s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.2
    done
    rm -f "$data/broker.pid"
    echo "kafka.sh: stopped (pid $pid)"
}

status() {
    local pid port
    pid=$(broker_pid)
    port=$(sed -n 's|^listeners=PLAINTEXT://127\.0\.0\.1:\([0-9]*\),.*|\1|p' "$data/server.properties" 2>/dev/null || true)
    if is_broker "$pid" && answers "$port"; then
        echo "kafka.sh: running (pid $pid), bootstrap servers 127.0.0.1:$port, data $data"
    else
        echo "kafka.sh: not running ($data)"
        return 3
    fi
}

(($# > 0)) || usage
command=$1
shift
port="" controller_port="" data="$here/data" owner_pid=""
while (($# > 0)); do
    case $1 in
        --port) port=${2:?--port needs a value} ;;
        --controller-port) controller_port=${2:?--controller-port needs a value} ;;
        --data) data=${2:?--data needs a value} ;;
        --owner-pid) owner_pid=${2:?--owner-pid needs a value} ;;
        *) usage ;;
    esac
    shift 2
done
for n in "$port" "$controller_port" "$owner_pid"; do
    [[ -z $n || $n =~ ^[0-9]+$ ]] || die "not a number: '$n'"
done
# Only start makes the data directory: stop and status on one that is gone have nothing to do.
if [[ $command == start ]]; then mkdir -p "$data"; fi
if [[ -d $data ]]; then data=$(cd "$data" && pwd); fi

case $command in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) usage ;;
esac
