#!/usr/bin/env bash
# Makes sure the servers the integration tests talk to answer on 127.0.0.1, starting (and, where Debian's
# package is missing, installing) those that do not, and that the tools of the npm modules are there: Node.js 20+
# with npm (clients/js, examples/web-chat), Debian's Chromium (the web-chat browser test), and the binaries of
# redis-server, HAProxy and Prometheus, whose tests start their own. Servers started from Maven artifacts (Kafka) are
# started by the tests themselves. Usage: scripts/services.sh ensure
set -euo pipefail

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0 || return 1
}

wait_for() { # name port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    answers 127.0.0.1 "$2" && return 0
    sleep 0.1
  done
  echo "services: $1 does not answer on 127.0.0.1:$2 after $3 s" >&2
  return 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi
}

apt_updated=0
install_package() { # debian-package
  dpkg -s "$1" >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null || { echo "services: $1 is missing and this is not a Debian system" >&2; return 1; }
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

ensure_postgresql() {
  answers 127.0.0.1 5432 && return 0
  install_package postgresql
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [ -z "$version" ]; then echo "services: postgresql installed but no cluster found" >&2; return 1; fi
  # Tests connect as postgres without a password, over TCP on 127.0.0.1 only.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q "sluice-tests" "$hba" 2>/dev/null; then
    as_root sh -c "printf '%s\n' '# sluice-tests: trust on loopback' 'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust' | cat - '$hba' > '$hba.new' && mv '$hba.new' '$hba'"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for postgresql 5432 30
  as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test" || true
}

ensure_rabbitmq() {
  answers 127.0.0.1 5672 && return 0
  install_package rabbitmq-server
  as_root rabbitmq-server -detached || true
  wait_for rabbitmq 5672 60
}

ensure_nats() {
  answers 127.0.0.1 4222 && return 0
  install_package nats-server
  as_root mkdir -p /var/lib/nats-server
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for nats 4222 30
}

ensure_mosquitto() {
  answers 127.0.0.1 1883 && return 0
  install_package mosquitto
  as_root mosquitto -d -c /etc/mosquitto/mosquitto.conf
  wait_for mosquitto 1883 30
}

node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

ensure_node() {
  if command -v node >/dev/null && command -v npm >/dev/null && [ "$(node_major)" -ge 20 ]; then return 0; fi
  command -v node >/dev/null || install_package nodejs
  command -v npm >/dev/null || install_package npm
  if [ "$(node_major)" -lt 20 ]; then
    echo "services: Node.js 20 or newer is needed by clients/js and examples/web-chat (found $(node --version 2>/dev/null || echo none))" >&2
    return 1
  fi
}

ensure_chromium() {
  install_package chromium
  [ -x /usr/bin/chromium ] || { echo "services: chromium installed but /usr/bin/chromium is missing" >&2; return 1; }
}

# Installs a Debian package for its binaries only: its own service must not start (it would take a standard port
# the tests leave alone), so its maintainer scripts are kept from starting anything while it installs.
install_binaries() { # debian-package
  dpkg -s "$1" >/dev/null 2>&1 && return 0
  local policy=/usr/sbin/policy-rc.d added=0
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy" && added=1
  fi
  local status=0
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null \
    || status=$?
  [ "$added" = 1 ] && as_root rm -f "$policy"
  return $status
}

# redis-server and redis-cli: the Redis tests start their own servers and clusters on free ports.
ensure_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  install_binaries redis-server
}

# HAProxy, in front of the gateways of examples/cluster; the example starts its own.
ensure_haproxy() {
  command -v haproxy >/dev/null && return 0
  install_binaries haproxy
}

# Prometheus and promtool, for the tests of deploy/ (promtool check rules; a real Prometheus scraping a gateway).
ensure_prometheus() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null && return 0
  install_binaries prometheus
}

case "${1:-ensure}" in
  ensure)
    # Each is needed by some integration tests; one that cannot be had fails here, loudly, not in a test.
    ensure_postgresql
    ensure_rabbitmq
    ensure_nats
    ensure_mosquitto
    ensure_node
    ensure_chromium
    ensure_prometheus
    ensure_redis
    ensure_haproxy
    ;;
  prometheus)
    ensure_prometheus
    ;;
  *)
    echo "usage: $0 ensure" >&2
    exit 2
    ;;
esac
