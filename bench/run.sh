#!/usr/bin/env bash
# Runs the whole benchmark and writes bench/results/results.md and bench/results/latency.png.
#   bench/run.sh            every scenario, full length (about 35 min on 2 cores)
#   bench/run.sh --quick    short steps and small counts, to try it out (about 10 min)
#   bench/run.sh --help     every flag (--scenarios=messages,prekeys ..., --rates=..., --connections=N ...)
# Scenarios, each with its baseline in the same run: messages (embedded queue; echo server), kafka (Kafka route;
# producer → consumer end to end, and the producer alone), redis (Redis queue on 1 and 3 gateways, against a
# redis-server started on a free port; the queue's Redis commands alone from one pipelined client), prekeys,
# connections (one gateway), cluster-connections (--cluster-connections=N over --gateways=G gateway processes, each
# with its own load-generator JVM), coldstart. Server CPU µs per delivered message is printed for every step.
# Builds the gateway jar and the bench jar first (no tests), with the JDK 21+ that ./sluice finds.
# The servers under test run in their own processes; everything they start stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Find the JDK and Maven flags exactly as ./sluice does.
eval "$(sed -n '/^java_version()/,/^}/p; /^find_jdk()/,/^}/p' sluice)"
export JAVA_HOME="$(find_jdk)"
export PATH="$JAVA_HOME/bin:$PATH"
if [ "$(java_version "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  modules=gateway,bench
  # Connectors built apart from the gateway jar, for the scenarios that put them on its class path.
  [ -f connectors/kafka/pom.xml ] && modules="$modules,connectors/kafka"
  echo "bench: building $modules"
  mvn -B -q --no-transfer-progress -DskipTests -pl "$modules" -am package
fi

# Descriptors: one per connection in each process; raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

args=""
for a in "$@"; do args="$args $a"; done
exec java -Xms2g -Xmx8g -XX:+UseG1GC \
  -Dbench.root="$root" -Dbench.commit="$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
  -Dbench.args="$args" \
  -jar bench/target/sluice-bench.jar "$@"
