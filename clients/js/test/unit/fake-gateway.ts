// A scripted stand-in for the gateway on a real socket, for unit tests that drop a connection at an exact point:
// it sends each connection a challenge, records every frame, and answers requests as the test says.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { AckSchema, AuthChallengeSchema, ErrorSchema, type Message, MessageSchema } from "../../src/gen/Messages_pb.js";

export type Script = (peer: Peer, request: Message) => Message | undefined;

export class Peer {
  readonly received: Message[] = [];
  readonly nonce = new Uint8Array(randomBytes(32));

  constructor(readonly socket: WebSocket) {}

  receivedOf(type: Message["payload"]["case"]): Message[] {
    return this.received.filter((m) => m.payload.case === type);
  }

  send(message: Message): void {
    this.socket.send(toBinary(MessageSchema, message));
  }

  deliver(sequence: number, body: Uint8Array): void {
    this.send(create(MessageSchema, { sequence, payload: { case: "inboundMessage", value: body } }));
  }

  /** Cuts the TCP connection without a close frame. */
  drop(): void {
    this.socket.terminate();
  }
}

export function ack(sequence: number): Message {
  return create(MessageSchema, { sequence, payload: { case: "ack", value: create(AckSchema) } });
}

export function error(sequence: number, name: string): Message {
  return create(MessageSchema, {
    sequence,
    payload: { case: "error", value: create(ErrorSchema, { name, description: "scripted" }) },
  });
}

export class FakeGateway {
  readonly peers: Peer[] = [];
  script: Script = (_peer, request) => ack(request.sequence);
  private server?: WebSocketServer;
  private port = 0;

  async start(): Promise<this> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: this.port, path: "/api" });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    this.port = (server.address() as AddressInfo).port;
    server.on("connection", (socket) => {
      const peer = new Peer(socket);
      this.peers.push(peer);
      socket.on("message", (data: Buffer) => {
        const message = fromBinary(MessageSchema, new Uint8Array(data));
        peer.received.push(message);
        if (message.payload.case !== "ack") {
          const reply = this.script(peer, message);
          if (reply) peer.send(reply);
        }
      });
      peer.send(
        create(MessageSchema, {
          payload: { case: "authChallenge", value: create(AuthChallengeSchema, { nonce: peer.nonce }) },
        }),
      );
    });
    this.server = server;
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/api`;
  }

  /** Stops listening and drops every connection without a close frame, as a killed process would. */
  async kill(): Promise<void> {
    for (const peer of this.peers) peer.drop();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  async awaitPeer(n: number): Promise<Peer> {
    await until(() => this.peers.length >= n);
    return this.peers[n - 1] as Peer;
  }
}

/** Polls `condition` until it holds, or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${condition}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

export function bytes(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}
