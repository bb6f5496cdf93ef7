// The one module that touches the generated protobuf code: frames in, the client's own types out.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  AckSchema,
  AddressSchema,
  AuthResponseSchema,
  LoginSchema,
  type Message,
  MessageSchema,
  OutboundMessageSchema,
  RegisterSchema,
  RequestPreKeysSchema,
  UnregisterSchema,
} from "./gen/Messages_pb.js";

/** An Address: a user's device. */
export interface Address {
  /** 33 bytes: `0x05` and an Ed25519 public key. */
  readonly userId: Uint8Array;
  readonly deviceId: number;
}

/** The key material of one device, as `requestPreKeys` answers it. */
export interface PreKey {
  readonly address: Address;
  readonly registrationId: number;
  readonly signedPreKey: Uint8Array;
  /** Absent when the device has no one-time prekeys left. */
  readonly oneTimePreKey?: Uint8Array;
}

/** A frame from the server, decoded. */
export type Incoming =
  | { readonly kind: "challenge"; readonly sequence: number; readonly nonce: Uint8Array }
  | { readonly kind: "ack"; readonly sequence: number }
  | { readonly kind: "error"; readonly sequence: number; readonly name: string; readonly description: string }
  | { readonly kind: "preKey"; readonly sequence: number; readonly preKey: PreKey }
  | { readonly kind: "preKeysLow"; readonly sequence: number; readonly keysRequested: number }
  | { readonly kind: "inbound"; readonly sequence: number; readonly body: Uint8Array }
  | { readonly kind: "other"; readonly sequence: number; readonly type: string };

/** A request's payload, the envelope without its sequence. */
export type Payload = Message["payload"];

/** The request's type as Messages.proto names it, for error messages: `outboundMessage`, … */
export function typeOf(payload: Payload): string {
  return payload.case ?? "request";
}

export function encode(sequence: number, payload: Payload): Uint8Array {
  return toBinary(MessageSchema, create(MessageSchema, { sequence, payload }));
}

/** Decodes a frame; throws on bytes that are not a `signal.Message`. */
export function decode(frame: Uint8Array): Incoming {
  const message = fromBinary(MessageSchema, frame);
  const sequence = message.sequence;
  const payload = message.payload;
  switch (payload.case) {
    case "authChallenge":
      return { kind: "challenge", sequence, nonce: payload.value.nonce };
    case "ack":
      return { kind: "ack", sequence };
    case "error":
      return { kind: "error", sequence, name: payload.value.name, description: payload.value.description };
    case "preKey": {
      const key = payload.value;
      return {
        kind: "preKey",
        sequence,
        preKey: {
          address: { userId: key.address?.userID ?? new Uint8Array(), deviceId: key.address?.deviceID ?? 0 },
          registrationId: key.registrationID,
          signedPreKey: key.signedPreKey,
          ...(key.oneTimePreKey.length > 0 ? { oneTimePreKey: key.oneTimePreKey } : {}),
        },
      };
    }
    case "preKeysLow":
      return { kind: "preKeysLow", sequence, keysRequested: payload.value.keysRequested };
    case "inboundMessage":
      return { kind: "inbound", sequence, body: payload.value };
    default:
      return { kind: "other", sequence, type: payload.case ?? "empty" };
  }
}

export function ack(): Payload {
  return { case: "ack", value: create(AckSchema) };
}

/** The bytes of a `Login` for this Address and challenge nonce: what the identity signs. */
export function login(address: Address, nonce: Uint8Array): Uint8Array {
  return toBinary(
    LoginSchema,
    create(LoginSchema, {
      address: create(AddressSchema, { userID: address.userId, deviceID: address.deviceId }),
      nonce,
    }),
  );
}

export function authResponse(loginBytes: Uint8Array, signature: Uint8Array): Payload {
  return { case: "authResponse", value: create(AuthResponseSchema, { login: loginBytes, signature }) };
}

export function register(registrationId: number, signedPreKey: Uint8Array, oneTimePreKeys: Uint8Array[]): Payload {
  return {
    case: "register",
    value: create(RegisterSchema, { registrationID: registrationId, signedPreKey, oneTimePreKeys }),
  };
}

export function unregister(): Payload {
  return { case: "unregister", value: create(UnregisterSchema) };
}

export function requestPreKeys(userId: Uint8Array, knownDeviceIds: number[]): Payload {
  return { case: "requestPreKeys", value: create(RequestPreKeysSchema, { userID: userId, knownDeviceIDs: knownDeviceIds }) };
}

export function outbound(to: Address, sealed: Uint8Array): Payload {
  return {
    case: "outboundMessage",
    value: create(OutboundMessageSchema, {
      to: create(AddressSchema, { userID: to.userId, deviceID: to.deviceId }),
      unidentifiedSenderMessage: sealed,
    }),
  };
}
