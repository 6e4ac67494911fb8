/**
 * Jupyter messaging protocol (v5.3) wire format: framing and HMAC-SHA256 signing.
 *
 * A message on the wire is `[...routing ids, "<IDS|MSG>", signature, header, parent_header,
 * metadata, content, ...buffers]`, where the signature is the hex HMAC of the four JSON frames with
 * the connection file's key. See jupyter-client's "Messaging in Jupyter".
 */
import { createHmac, randomUUID, timingSafeEqual } from 'crypto';

/** The frame that separates routing identities from the signed message. */
export const DELIMITER = '<IDS|MSG>';

/** The protocol version this client speaks. */
export const PROTOCOL_VERSION = '5.3';

/** A message header. */
export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message; `content` is left as a plain object for the receiver to check. */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  parentHeader: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

/** A message that failed to decode (bad framing, JSON or signature). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Hex HMAC-SHA256 of the given frames; the empty string when the key is empty (signing off). */
export function sign(key: string, frames: readonly (string | Buffer)[]): string {
  if (key === '') return '';
  const hmac = createHmac('sha256', key);
  for (const frame of frames) hmac.update(frame);
  return hmac.digest('hex');
}

/** A new message from this client's session, optionally answering `parent`. */
export function createMessage(
  msgType: string,
  content: Record<string, unknown>,
  session: string,
  parent?: MessageHeader,
): JupyterMessage {
  return {
    identities: [],
    header: {
      msg_id: randomUUID(),
      session,
      username: 'gradlab',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parentHeader: parent ?? {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** The frames to send for a message, signed with `key`. */
export function encodeMessage(message: JupyterMessage, key: string): Buffer[] {
  const body = [
    JSON.stringify(message.header),
    JSON.stringify(message.parentHeader),
    JSON.stringify(message.metadata),
    JSON.stringify(message.content),
  ];
  return [
    ...message.identities,
    Buffer.from(DELIMITER),
    Buffer.from(sign(key, body)),
    ...body.map((frame) => Buffer.from(frame)),
    ...message.buffers,
  ];
}

function parseFrame(frame: Buffer | undefined, what: string): Record<string, unknown> {
  if (frame === undefined) throw new ProtocolError(`message has no ${what} frame`);
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch {
    throw new ProtocolError(`message ${what} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`message ${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function checkHeader(value: Record<string, unknown>): MessageHeader {
  for (const field of ['msg_id', 'msg_type'] as const) {
    if (typeof value[field] !== 'string') throw new ProtocolError(`message header has no string ${field}`);
  }
  return value as unknown as MessageHeader;
}

/** Decodes received frames, verifying the signature; throws ProtocolError on any defect. */
export function decodeMessage(frames: readonly Buffer[], key: string): JupyterMessage {
  const delimiter = frames.findIndex((frame) => frame.toString('latin1') === DELIMITER);
  if (delimiter < 0) throw new ProtocolError(`message has no ${DELIMITER} delimiter`);
  const signature = frames[delimiter + 1];
  const body = frames.slice(delimiter + 2, delimiter + 6);
  if (signature === undefined || body.length < 4) throw new ProtocolError(`message has ${body.length} of 4 body frames`);
  if (key !== '') {
    const expected = Buffer.from(sign(key, body));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw new ProtocolError('message signature does not match the connection key');
    }
  }
  return {
    identities: frames.slice(0, delimiter),
    header: checkHeader(parseFrame(body[0], 'header')),
    parentHeader: parseFrame(body[1], 'parent_header') as Partial<MessageHeader>,
    metadata: parseFrame(body[2], 'metadata'),
    content: parseFrame(body[3], 'content'),
    buffers: frames.slice(delimiter + 6),
  };
}
