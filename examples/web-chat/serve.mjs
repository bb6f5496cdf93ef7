#!/usr/bin/env node
// Serves the built demo page (dist/) next to a gateway on its embedded default, started from the jar that
// `./sluice build` makes. `node serve.mjs [--port 5173] [--gateway-port 8080] [--data-dir ./data]`; Ctrl-C stops both.
// The end-to-end test starts the demo through startDemo() below, exactly as this command does.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** The gateway jar in its own process; `restart()` brings it back on the same port and data directory. */
class Gateway {
  constructor({ jar, java, port, adminPort, dataDir, log }) {
    Object.assign(this, { jar, java, port, adminPort, dataDir, log });
    this.output = "";
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/api`;
  }

  async start() {
    this.output = "";
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLUICE_")));
    this.child = spawn(
      this.java,
      [
        "-Xmx256m",
        "-Dsluice.host=127.0.0.1",
        `-Dsluice.port=${this.port}`,
        `-Dsluice.admin.port=${this.adminPort}`,
        `-Dsluice.data-dir=${this.dataDir}`,
        "-jar",
        this.jar,
      ],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    const collect = (chunk) => {
      this.output += chunk;
      if (this.log) process.stdout.write(chunk);
    };
    this.child.stdout.on("data", collect);
    this.child.stderr.on("data", collect);
    const deadline = Date.now() + 60_000;
    while (!/event=started|"event":"started"/.test(this.output)) {
      if (this.child.exitCode !== null || Date.now() > deadline) {
        this.child.kill("SIGKILL");
        throw new Error(`the gateway did not start:\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async #signal(signal) {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
  }

  /** SIGKILL: nothing is flushed. */
  kill9() {
    return this.#signal("SIGKILL");
  }

  /** SIGTERM: a graceful stop. */
  stop() {
    return this.#signal("SIGTERM");
  }

  async restart() {
    await this.stop();
    await this.start();
  }
}

/**
 * Starts the gateway and the page server.
 * @returns {Promise<{url: string, gateway: Gateway, close: () => Promise<void>}>}
 */
export async function startDemo({
  port = 5173,
  host = "127.0.0.1",
  gatewayPort = 8080,
  adminPort = 9090,
  dataDir = join(here, "data"),
  jar = process.env.SLUICE_GATEWAY_JAR ?? resolve(here, "../../gateway/target/sluice-gateway.jar"),
  java = process.env.SLUICE_JAVA ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java"),
  log = false,
} = {}) {
  const dist = join(here, "dist");
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(`${dist} is not built: run npm run build (or examples/web-chat/run.sh)`);
  }
  if (!existsSync(jar)) {
    throw new Error(`${jar} is not built: run ./sluice build (or examples/web-chat/run.sh)`);
  }
  const gateway = new Gateway({ jar, java, port: gatewayPort, adminPort, dataDir, log });
  await gateway.start();

  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    if (path === "/config.json") {
      response.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
      response.end(JSON.stringify({ gatewayPort: gateway.port }));
      return;
    }
    const file = normalize(join(dist, path === "/" ? "index.html" : path));
    if (!file.startsWith(dist) || !existsSync(file)) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, done);
  });
  const { port: actualPort } = server.address();
  return {
    url: `http://${host === "0.0.0.0" ? "localhost" : host}:${actualPort}/`,
    gateway,
    async close() {
      await new Promise((done) => server.close(done));
      server.closeAllConnections?.();
      await gateway.stop();
    },
  };
}

function option(args, name, fallback) {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = args[index + 1];
  if (value === undefined) {
    console.error(`serve: ${name} needs a value`);
    process.exit(2);
  }
  return value;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const port = Number(option(args, "--port", "5173"));
  const gatewayPort = Number(option(args, "--gateway-port", "8080"));
  const adminPort = Number(option(args, "--admin-port", "9090"));
  for (const [name, value] of [["--port", port], ["--gateway-port", gatewayPort], ["--admin-port", adminPort]]) {
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      console.error(`serve: ${name}: '${value}' (expected: a port, 0-65535)`);
      process.exit(2);
    }
  }
  const demo = await startDemo({
    port,
    gatewayPort,
    adminPort,
    dataDir: resolve(option(args, "--data-dir", join(here, "data"))),
    log: true,
  }).catch((e) => {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  });
  console.log(`\nweb-chat: open ${demo.url} in two tabs (gateway ${demo.gateway.url}); Ctrl-C stops both`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
