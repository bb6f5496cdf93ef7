#!/usr/bin/env bash
# The demo in one command: builds what is missing (the gateway jar, the client package, the page), then serves the
# page on http://127.0.0.1:5173/ next to a gateway on its embedded default (ws://127.0.0.1:8080/api).
# Arguments go to serve.mjs: --port, --gateway-port, --admin-port, --data-dir.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
[ -f "$root/gateway/target/sluice-gateway.jar" ] || "$root/sluice" build
# The java that ./sluice found (21+), for the gateway this script starts.
if [ -z "${SLUICE_JAVA:-}" ]; then
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
        && [ "$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" -ge 21 ] 2>/dev/null; then
      export SLUICE_JAVA="$candidate/bin/java"; break
    fi
  done
fi
(cd "$root/clients/js" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build --silent)
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent
exec node serve.mjs "$@"
