import { createHmac } from 'crypto';
import { describe, expect, it } from 'vitest';
import { createMessage, decodeMessage, DELIMITER, encodeMessage, ProtocolError, sign } from '../../src/notebook/jupyter/protocol';

describe('Jupyter wire protocol', () => {
  const key = 'a0436f6c-1916-498b-8eb9-e81ab9368e84';

  it('signs the four JSON frames with HMAC-SHA256 of their concatenation', () => {
    const frames = ['{"msg_id":"1"}', '{}', '{}', '{"code":"1+1"}'];
    const expected = createHmac('sha256', key).update(frames.join('')).digest('hex');
    expect(sign(key, frames)).toBe(expected);
    expect(sign(key, frames)).toMatch(/^[0-9a-f]{64}$/);
    expect(sign('', frames)).toBe('');
  });

  it('frames a message as ids, <IDS|MSG>, signature, header, parent, metadata, content', () => {
    const message = createMessage('execute_request', { code: 'x' }, 'session-1');
    const frames = encodeMessage(message, key).map((frame) => frame.toString());
    expect(frames[0]).toBe(DELIMITER);
    expect(frames[1]).toBe(sign(key, frames.slice(2, 6)));
    expect(JSON.parse(frames[2] ?? '')).toMatchObject({ msg_type: 'execute_request', session: 'session-1', version: '5.3' });
    expect(JSON.parse(frames[3] ?? '')).toEqual({});
    expect(JSON.parse(frames[5] ?? '')).toEqual({ code: 'x' });
  });

  it('decodes what it encodes, keeping routing identities and the parent header', () => {
    const parent = createMessage('execute_request', {}, 's');
    const reply = createMessage('execute_reply', { status: 'ok', execution_count: 3 }, 's', parent.header);
    reply.identities = [Buffer.from('client-7')];
    const decoded = decodeMessage(encodeMessage(reply, key), key);
    expect(decoded.identities.map(String)).toEqual(['client-7']);
    expect(decoded.header.msg_type).toBe('execute_reply');
    expect(decoded.parentHeader.msg_id).toBe(parent.header.msg_id);
    expect(decoded.content).toEqual({ status: 'ok', execution_count: 3 });
  });

  it('rejects a tampered message, a wrong key and a missing delimiter', () => {
    const frames = encodeMessage(createMessage('status', { execution_state: 'idle' }, 's'), 'k');
    const tampered = [...frames];
    tampered[5] = Buffer.from('{"execution_state":"busy"}');
    expect(() => decodeMessage(tampered, 'k')).toThrow(ProtocolError);
    expect(() => decodeMessage(frames, 'other-key')).toThrow(/signature does not match/);
    expect(() => decodeMessage(frames.slice(1), 'k')).toThrow(/no <IDS\|MSG> delimiter/);
    expect(() => decodeMessage(frames.slice(0, 4), 'k')).toThrow(/2 of 4 body frames/);
  });
});
