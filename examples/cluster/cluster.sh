#!/usr/bin/env bash
# A local Sluice cluster on one machine: a Redis Cluster (3 masters + 3 replicas, AOF everysec), three gateways on
# routes/redis.yaml sharing it (queue, prekeys and limits on Redis), and HAProxy in front of them.
#
#   examples/cluster/cluster.sh start    build the gateway jar if missing, start everything, wait until it serves
#   examples/cluster/cluster.sh stop     stop everything this state directory started (and only that); data stays
#   examples/cluster/cluster.sh status   print what runs; exit 0 when everything does, 3 otherwise
#   examples/cluster/cluster.sh clean    stop, then delete the state directory (Redis data, logs, configs)
#
# Clients connect to ws://127.0.0.1:8480/api (HAProxy). Everything listens on 127.0.0.1 only.
#
# Environment (defaults in brackets):
#   SLUICE_CLUSTER_DIR           state directory: configs, data, pid files, logs [examples/cluster/.state]
#   SLUICE_CLUSTER_PORT          HAProxy's frontend, where clients connect [8480]
#   SLUICE_CLUSTER_REDIS_PORT    first Redis port; the six nodes take it and the next five [7100], and Redis
#                                Cluster's bus takes each port + 10000
#   SLUICE_CLUSTER_GATEWAY_PORT  first gateway port; the three take it and the next two [8481]
#   SLUICE_CLUSTER_ADMIN_PORT    first gateway admin port (/readyz, /metrics); the next two too [9481]
#   SLUICE_CLUSTER_GATEWAY_OPTS  more JVM options and -Dsluice.x=y settings for every gateway (after -Xmx256m),
#                                e.g. "-Dsluice.redis.wait-replicas=1" []
#   SLUICE_CLUSTER_NODE_TIMEOUT  Redis's cluster-node-timeout in ms: how long a master may be unreachable before
#                                its replica takes over [5000]
#   SLUICE_CLUSTER_START_TIMEOUT seconds start waits for each part to serve [120]
#   SLUICE_CLUSTER_OWNER_PID     stop everything once process PID has exited (tests pass their JVM's pid, so that
#                                a killed test run leaves nothing behind) []
#
# A state directory keeps the ports it was created with: stop and status need no environment but its directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
jar="$root/gateway/target/sluice-gateway.jar"

state=${SLUICE_CLUSTER_DIR:-$here/.state}
front_port=${SLUICE_CLUSTER_PORT:-8480}
redis_base=${SLUICE_CLUSTER_REDIS_PORT:-7100}
gateway_base=${SLUICE_CLUSTER_GATEWAY_PORT:-8481}
admin_base=${SLUICE_CLUSTER_ADMIN_PORT:-9481}
gateway_opts="-Xmx256m ${SLUICE_CLUSTER_GATEWAY_OPTS:-}"
start_timeout=${SLUICE_CLUSTER_START_TIMEOUT:-120}
node_timeout=${SLUICE_CLUSTER_NODE_TIMEOUT:-5000}
owner_pid=${SLUICE_CLUSTER_OWNER_PID:-}

# A state directory keeps the ports it was first started with (Redis's nodes.conf names them): stop, status and a
# later start use those, whatever the environment says now.
ports_given=${SLUICE_CLUSTER_PORT:-}${SLUICE_CLUSTER_REDIS_PORT:-}${SLUICE_CLUSTER_GATEWAY_PORT:-}${SLUICE_CLUSTER_ADMIN_PORT:-}
if [[ -f $state/ports ]]; then
    requested="$front_port $redis_base $gateway_base $admin_base"
    read -r front_port redis_base gateway_base admin_base <"$state/ports"
    saved="$front_port $redis_base $gateway_base $admin_base"
fi

# The gateway reads SLUICE_* environment variables as settings: this script's own are not its.
unset "${!SLUICE_CLUSTER_@}"

redis_nodes=6   # 3 masters, each with 1 replica
gateways=3

# Every process runs in its own session, so that a Ctrl-C meant for whoever ran this script does not reach it. A
# background job of a script leads no process group, so setsid does not fork and $! stays the process's pid.
if command -v setsid >/dev/null; then detach=(setsid); else detach=(); fi

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

say() {
    echo "cluster.sh: $*"
}

# ---------------------------------------------------------------------------------------------------------------
# Processes: one pid file per process in $state/run; a pid counts as ours only while its command line still holds
# the marker it was started with (pid files outlive reboots, pids get reused).

pid_of() { # name -> pid from its pid file, or nothing
    [[ -f $state/run/$1.pid ]] && cat "$state/run/$1.pid" || true
}

marker_of() { # name -> a string the process's command line contains
    case $1 in
        # redis-server retitles itself "redis-server <address> [cluster]".
        redis-*) echo "127.0.0.1:$((redis_base + ${1#redis-})) [cluster]" ;;
        gateway-*) echo "-Dsluice.data-dir=$state/${1}/data " ;;
        haproxy) echo "$state/haproxy.cfg" ;;
        owner-watch) echo "owner-watch $state" ;;
    esac
}

is_running() { # name: its pid is alive and still the process we started
    local pid
    pid=$(pid_of "$1")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ ! -r /proc/$pid/cmdline ]] || tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(marker_of "$1")"
}

is_alive() { # name: its pid is alive and no zombie (right after launch its command line may not be final yet)
    local pid
    pid=$(pid_of "$1")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ ! -r /proc/$pid/stat ]] || [[ $(cut -d' ' -f3 "/proc/$pid/stat") != Z ]]
}

all_names() {
    local i
    for ((i = 0; i < redis_nodes; i++)); do echo "redis-$i"; done
    for ((i = 1; i <= gateways; i++)); do echo "gateway-$i"; done
    echo haproxy
}

launch() { # name command... : starts it detached, output to $state/logs/<name>.log, pid to $state/run/<name>.pid
    local name=$1
    shift
    "${detach[@]}" "$@" </dev/null >>"$state/logs/$name.log" 2>&1 &
    echo $! >"$state/run/$name.pid"
}

port_answers() { # port
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

wait_for() { # description, command...: retries the command every 0.25 s until it succeeds or the timeout
    local what=$1 deadline=$((SECONDS + start_timeout))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || die "$what: not within ${start_timeout} s (logs in $state/logs)"
        sleep 0.25
    done
}

# ---------------------------------------------------------------------------------------------------------------
# The JDK: found exactly as ./sluice finds it (JAVA_HOME, java on the PATH, then the newest under /usr/lib/jvm).

use_jdk() {
    eval "$(sed -n '/^java_version()/,/^}/p; /^find_jdk()/,/^}/p' "$root/sluice")"
    JAVA_HOME="$(find_jdk)" || exit 1
    export JAVA_HOME
    export PATH="$JAVA_HOME/bin:$PATH"
    if [ "$(java_version "$JAVA_HOME/bin/java")" -ge 24 ]; then
        # Maven's own Guava uses sun.misc.Unsafe; newer JDKs warn about it on every build.
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    fi
}

build_jar() {
    [[ -f $jar ]] && return
    say "building $jar (no tests)"
    (cd "$root" && mvn -q -DskipTests package -pl gateway -am)
}

# ---------------------------------------------------------------------------------------------------------------
# Redis Cluster: six redis-server processes, each in its own directory with its config, AOF and nodes.conf.

redis_cli() { # port args...
    redis-cli -h 127.0.0.1 -p "$1" "${@:2}"
}

start_redis() {
    local i port dir
    for ((i = 0; i < redis_nodes; i++)); do
        port=$((redis_base + i))
        dir="$state/redis-$i"
        is_running "redis-$i" && continue
        port_answers "$port" && die "port $port is taken by another process (set SLUICE_CLUSTER_REDIS_PORT)"
        mkdir -p "$dir"
        # appendfsync everysec: an acked message is on disk within about a second; a kill -9 of a node keeps it
        # (the kernel has the write), a power loss can lose that last second. Replicas hold a copy too.
        cat >"$dir/redis.conf" <<EOF
bind 127.0.0.1
port $port
dir $dir
daemonize no
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout $node_timeout
appendonly yes
appendfsync everysec
save ""
EOF
        launch "redis-$i" redis-server "$dir/redis.conf"
    done
    for ((i = 0; i < redis_nodes; i++)); do
        wait_for "redis-server on port $((redis_base + i))" redis_answers "$((redis_base + i))"
    done
    if [[ ! -f $state/redis-cluster-created ]]; then
        local nodes=()
        for ((i = 0; i < redis_nodes; i++)); do nodes+=("127.0.0.1:$((redis_base + i))"); done
        say "creating the Redis Cluster on ports $redis_base..$((redis_base + redis_nodes - 1))"
        redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$state/logs/redis-create.log" 2>&1 \
            || die "redis-cli --cluster create failed: see $state/logs/redis-create.log"
        touch "$state/redis-cluster-created"
    fi
    for ((i = 0; i < redis_nodes; i++)); do
        wait_for "cluster_state:ok on port $((redis_base + i))" cluster_ok "$((redis_base + i))"
    done
}

redis_answers() { # port
    [[ $(redis_cli "$1" PING 2>/dev/null) == PONG ]]
}

cluster_ok() { # port
    redis_cli "$1" CLUSTER INFO 2>/dev/null | grep -q '^cluster_state:ok'
}

# ---------------------------------------------------------------------------------------------------------------
# Gateways: the jar, each with its own ports and data directory, all on the same Redis Cluster.

start_gateways() {
    local i port admin
    for ((i = 1; i <= gateways; i++)); do
        port=$((gateway_base + i - 1))
        admin=$((admin_base + i - 1))
        is_running "gateway-$i" && continue
        port_answers "$port" && die "port $port is taken by another process (set SLUICE_CLUSTER_GATEWAY_PORT)"
        port_answers "$admin" && die "port $admin is taken by another process (set SLUICE_CLUSTER_ADMIN_PORT)"
        mkdir -p "$state/gateway-$i/data"
        # shellcheck disable=SC2086 # gateway_opts is a list of options
        launch "gateway-$i" "$JAVA_HOME/bin/java" $gateway_opts \
            -Dsluice.host=127.0.0.1 -Dsluice.port="$port" -Dsluice.admin.port="$admin" \
            -Dsluice.data-dir="$state/gateway-$i/data" \
            -Dsluice.queue.type=redis \
            -Dsluice.redis.uri="redis://127.0.0.1:$redis_base" -Dsluice.redis.cluster=true \
            -Dsluice.routes="$root/routes/redis.yaml" \
            -Dsluice.limits.store=redis \
            -Dsluice.ws.forwarded-headers=true \
            -jar "$jar" run
    done
    for ((i = 1; i <= gateways; i++)); do
        wait_for "gateway-$i ready (http://127.0.0.1:$((admin_base + i - 1))/readyz)" \
            gateway_ready "gateway-$i" "$((admin_base + i - 1))"
    done
}

gateway_ready() { # name admin-port
    is_alive "$1" || die "$1 exited: see $state/logs/$1.log"
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$2/readyz") == 200 ]]
}

# ---------------------------------------------------------------------------------------------------------------
# HAProxy: one frontend for the clients, the gateways as its backend, each checked on its admin port's /readyz.

write_haproxy_config() {
    local i
    {
        cat <<EOF
# Generated by examples/cluster/cluster.sh: rewritten on every start.
global
    log stdout format raw local0 notice

defaults
    mode http
    log global
    option httplog
    option dontlognull
    # A connection refused by a gateway (killed, not yet marked down) is tried again on another one.
    option redispatch
    retries 3
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # Once upgraded, a WebSocket is a tunnel: it may stay open for an hour without traffic (the gateway pings
    # every 30 s anyway).
    timeout tunnel 1h
    timeout client-fin 5s
    timeout http-request 10s

frontend sluice
    bind 127.0.0.1:$front_port
    # The gateways take the client's IP from this header (-Dsluice.ws.forwarded-headers=true).
    option forwardfor
    # How many gateways HAProxy sends clients to now (cluster.sh status reads it).
    http-request return status 200 content-type text/plain lf-string "%[nbsrv(gateways)]\n" if { path /haproxy/up }
    default_backend gateways

backend gateways
    # Each new client goes to the gateway with the fewest open connections: WebSockets live long, so round
    # robin would pile up the clients of a restarted gateway elsewhere.
    balance leastconn
    option httpchk GET /readyz
    http-check expect status 200
    # Checked every second on the admin port: down after 2 failures, up again after 2 successes.
    default-server inter 1s fall 2 rise 2
EOF
        for ((i = 1; i <= gateways; i++)); do
            echo "    server gateway-$i 127.0.0.1:$((gateway_base + i - 1)) check port $((admin_base + i - 1))"
        done
    } >"$state/haproxy.cfg"
}

start_haproxy() {
    if ! is_running haproxy; then
        port_answers "$front_port" && die "port $front_port is taken by another process (set SLUICE_CLUSTER_PORT)"
        write_haproxy_config
        haproxy -c -q -f "$state/haproxy.cfg" || die "invalid $state/haproxy.cfg"
        # -db: in the foreground, so that the pid is HAProxy's own.
        launch haproxy haproxy -db -f "$state/haproxy.cfg"
    fi
    wait_for "HAProxy sending clients to all $gateways gateways" haproxy_up_is "$gateways"
}

haproxy_up() { # prints how many gateways HAProxy sends clients to
    curl -s --max-time 2 "http://127.0.0.1:$front_port/haproxy/up" 2>/dev/null || true
}

haproxy_up_is() { # count
    is_alive haproxy || die "haproxy exited: see $state/logs/haproxy.log"
    [[ $(haproxy_up) == "$1" ]]
}

# ---------------------------------------------------------------------------------------------------------------
# Commands.

check_ports() { # a state directory keeps the ports it was created with
    if [[ -n ${saved:-} ]]; then
        [[ -z $ports_given || $requested == "$saved" ]] || say "$state keeps the ports it was created with (frontend," \
            "redis, gateway, admin: $saved), not $requested: run clean first for others"
    else
        echo "$front_port $redis_base $gateway_base $admin_base" >"$state/ports"
    fi
}

watch_owner() { # with SLUICE_CLUSTER_OWNER_PID: a watcher that runs stop once that process has exited
    [[ -n $owner_pid ]] || return 0
    is_running owner-watch && return 0
    # $0 names the watcher in ps and is its marker (see marker_of).
    launch owner-watch bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
        SLUICE_CLUSTER_DIR="$2" exec bash "$3" stop' "owner-watch $state" "$owner_pid" "$state" "${BASH_SOURCE[0]}"
}

cmd_start() {
    for tool in redis-server redis-cli haproxy curl; do
        command -v "$tool" >/dev/null || die "$tool not found: install it (Debian: apt-get install redis-server haproxy curl)"
    done
    use_jdk
    build_jar
    mkdir -p "$state/run" "$state/logs"
    check_ports
    start_redis
    start_gateways
    start_haproxy
    watch_owner
    say "running: clients connect to ws://127.0.0.1:$front_port/api (state in $state)"
}

stop_group() { # grace-seconds name...: TERM to each of them at once, then KILL to those left after the grace
    local grace=$1 name pid deadline left
    shift
    local -A pids=()
    for name in "$@"; do
        if is_running "$name"; then
            pids[$name]=$(pid_of "$name")
            kill -TERM "${pids[$name]}" 2>/dev/null || true
        fi
    done
    deadline=$((SECONDS + grace))
    while :; do
        left=()
        for name in "${!pids[@]}"; do is_running "$name" && left+=("$name"); done
        ((${#left[@]} > 0)) || break
        if ((SECONDS >= deadline)); then
            for name in "${left[@]}"; do
                say "$name (pid ${pids[$name]}) did not stop within $grace s: killing it"
                kill -KILL "${pids[$name]}" 2>/dev/null || true
            done
            deadline=$((SECONDS + 3600))
        fi
        sleep 0.2
    done
    for name in "$@"; do
        [[ -n ${pids[$name]:-} ]] && say "stopped $name (pid ${pids[$name]})"
        rm -f "$state/run/$name.pid"
    done
    return 0
}

cmd_stop() {
    [[ -d $state/run ]] || return 0
    # The owner's watcher, unless this is the watcher running stop (exec keeps its pid).
    if [[ $(pid_of owner-watch) == "$$" ]]; then rm -f "$state/run/owner-watch.pid"; else stop_group 5 owner-watch; fi
    # Clients first lose HAProxy, then the gateways drain (their graceful stop), then Redis fsyncs its AOF.
    stop_group 10 haproxy
    # shellcheck disable=SC2046 # names without spaces
    stop_group 30 $(all_names | grep '^gateway-')
    # shellcheck disable=SC2046
    stop_group 30 $(all_names | grep '^redis-')
}

cmd_status() {
    local name pid port running=0 total=0 detail
    for name in $(all_names); do
        total=$((total + 1))
        case $name in
            redis-*) port=$((redis_base + ${name#redis-})) ;;
            gateway-*) port=$((gateway_base + ${name#gateway-} - 1)) ;;
            haproxy) port=$front_port ;;
        esac
        if is_running "$name"; then
            running=$((running + 1))
            pid=$(pid_of "$name")
            case $name in
                redis-*) detail="$(redis_cli "$port" ROLE 2>/dev/null | head -1 || true)" ;;
                gateway-*)
                    detail="readyz $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
                        "http://127.0.0.1:$((admin_base + ${name#gateway-} - 1))/readyz" || true)" ;;
                haproxy) detail="gateways up: $(haproxy_up)" ;;
            esac
            printf '%-10s running  pid %-8s port %-6s %s\n' "$name" "$pid" "$port" "$detail"
        else
            printf '%-10s stopped           port %s\n' "$name" "$port"
        fi
    done
    if is_running redis-0; then
        echo "redis cluster: $(redis_cli "$redis_base" CLUSTER INFO 2>/dev/null | grep '^cluster_state' | tr -d '\r')"
    fi
    echo "$running of $total running (state in $state)"
    ((running == total)) || return 3
}

cmd_clean() {
    cmd_stop
    rm -rf "$state"
    say "removed $state"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    clean) cmd_clean ;;
    *)
        sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
        exit 2
        ;;
esac
