// The real gateway jar in its own process, for the integration tests: started on a port of our choosing (so a
// restart on the same data directory comes back at the same address), killed with SIGKILL.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The jar `./sluice build` makes, or SLUICE_GATEWAY_JAR. */
export function gatewayJar(): string {
  const jar = process.env.SLUICE_GATEWAY_JAR ?? resolve(here, "../../../../gateway/target/sluice-gateway.jar");
  if (!existsSync(jar)) {
    throw new Error(`${jar} is not built: run ./sluice build (or mvn -pl gateway -am package) first`);
  }
  return jar;
}

/** The java of SLUICE_JAVA, else JAVA_HOME's, else the PATH's (the gateway needs 21+). */
function java(): string {
  if (process.env.SLUICE_JAVA) return process.env.SLUICE_JAVA;
  if (process.env.JAVA_HOME) return join(process.env.JAVA_HOME, "bin", "java");
  return "java";
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface GatewaySettings {
  readonly dataDir: string;
  readonly port: number;
  /** More -D settings, without the -D. */
  readonly settings?: Record<string, string>;
}

export class GatewayProcess {
  private output = "";

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly adminPort: number,
  ) {
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Starts the jar and waits until it logs that it started. */
  static async start(options: GatewaySettings): Promise<GatewayProcess> {
    const adminPort = await freePort();
    const args = [
      "-Xmx256m",
      "-Dsluice.host=127.0.0.1",
      `-Dsluice.port=${options.port}`,
      `-Dsluice.admin.port=${adminPort}`,
      `-Dsluice.data-dir=${options.dataDir}`,
      ...Object.entries(options.settings ?? {}).map(([k, v]) => `-D${k}=${v}`),
      "-jar",
      gatewayJar(),
    ];
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLUICE_")));
    const child = spawn(java(), args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const gateway = new GatewayProcess(child, options.port, adminPort);
    const deadline = Date.now() + 60_000;
    while (!/event=started|"event":"started"/.test(gateway.output)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        gateway.kill9();
        throw new Error(`the gateway did not start:\n${gateway.output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return gateway;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/api`;
  }

  get log(): string {
    return this.output;
  }

  /** A counter of the admin port's Prometheus text, summed over samples with these labels. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${this.adminPort}/metrics`)).text();
    let sum = 0;
    for (const line of text.split("\n")) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
        sum += Number(line.slice(line.lastIndexOf(" ") + 1));
      }
    }
    return sum;
  }

  /** SIGKILL: nothing is flushed, no shutdown hook runs. */
  async kill9(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGKILL");
    await exited;
  }

  /** SIGTERM, and waits for the exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGTERM");
    await exited;
  }
}
