/**
 * A minimal Jupyter client over ZeroMQ: shell and control DEALER sockets for requests and replies,
 * an iopub SUB socket for outputs and status, and a heartbeat REQ socket.
 *
 * Replies are matched to requests by `parent_header.msg_id`; iopub messages go to listeners, which
 * route them by the same id. The client knows nothing about processes: the kernel manager owns the
 * kernel and tells the client when it died (`failPending`).
 */
import { randomUUID } from 'crypto';
import type * as Zmq from 'zeromq';
import { channelUrl, type ConnectionInfo } from './connection';
import { createMessage, decodeMessage, encodeMessage, type JupyterMessage, type MessageHeader } from './protocol';

/** A package the runner needs is not installed. */
export class MissingDependencyError extends Error {
  override name = 'MissingDependencyError';
}

/** The zeromq module, loaded on first use so that a missing install gives a clear message. */
function loadZmq(): typeof Zmq {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('zeromq') as typeof Zmq;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new MissingDependencyError(`cannot load the 'zeromq' package (${reason}); run \`npm install\` in the project`);
  }
}

/** Receives every decoded iopub message. */
export type IopubListener = (message: JupyterMessage) => void;

/** A request that was sent: its id (outputs carry it as parent id) and its reply. */
export interface SentRequest {
  readonly msgId: string;
  readonly header: MessageHeader;
  readonly reply: Promise<JupyterMessage>;
}

interface Waiter {
  resolve: (message: JupyterMessage) => void;
  reject: (error: Error) => void;
}

/** A connection to one running kernel. */
export class KernelClient {
  /** The session id sent in every header. */
  readonly session = randomUUID();
  /** Messages dropped because they did not decode or their signature was wrong. */
  badMessages = 0;
  private readonly zmq: typeof Zmq;
  private readonly shell: Zmq.Dealer;
  private readonly control: Zmq.Dealer;
  private readonly iopub: Zmq.Subscriber;
  private readonly waiters = new Map<string, Waiter>();
  private readonly listeners = new Set<IopubListener>();
  private readonly sendQueues = new Map<Zmq.Dealer, Promise<void>>();
  private closed = false;

  /** Connects all channels of the kernel described by `info` (the kernel may still be starting). */
  constructor(readonly info: ConnectionInfo) {
    this.zmq = loadZmq();
    this.shell = new this.zmq.Dealer({ linger: 0 });
    this.control = new this.zmq.Dealer({ linger: 0 });
    // Unlimited queue: the kernel's PUB socket drops messages once a subscriber's queue is full.
    this.iopub = new this.zmq.Subscriber({ linger: 0, receiveHighWaterMark: 0 });
    this.shell.connect(channelUrl(info, 'shell'));
    this.control.connect(channelUrl(info, 'control'));
    this.iopub.connect(channelUrl(info, 'iopub'));
    this.iopub.subscribe();
    void this.receive(this.shell, (message) => this.settle(message));
    void this.receive(this.control, (message) => this.settle(message));
    void this.receive(this.iopub, (message) => this.listeners.forEach((listener) => listener(message)));
  }

  /** Registers an iopub listener; returns a function that removes it. */
  onIopub(listener: IopubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a request on the shell or control channel; its reply settles `reply`. */
  request(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>): SentRequest {
    if (this.closed) throw new Error(`KernelClient.request: client is closed, cannot send ${msgType}`);
    const message = createMessage(msgType, content, this.session);
    const msgId = message.header.msg_id;
    const reply = new Promise<JupyterMessage>((resolve, reject) => this.waiters.set(msgId, { resolve, reject }));
    reply.catch(() => undefined); // callers may abandon a request; its rejection is not an error then
    const socket = channel === 'shell' ? this.shell : this.control;
    const frames = encodeMessage(message, this.info.key);
    const previous = this.sendQueues.get(socket) ?? Promise.resolve();
    // zeromq allows one pending send per socket, so sends on a socket are chained.
    const sent = previous.then(() => socket.send(frames)).catch((error: unknown) => {
      this.waiters.get(msgId)?.reject(error instanceof Error ? error : new Error(String(error)));
      this.waiters.delete(msgId);
    });
    this.sendQueues.set(socket, sent);
    return { msgId, header: message.header, reply };
  }

  /** Stops waiting for the reply to `msgId`. */
  forget(msgId: string): void {
    this.waiters.delete(msgId);
  }

  /** True when the kernel echoes a heartbeat within `timeoutMs`. */
  async heartbeat(timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    const socket = new this.zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    try {
      socket.connect(channelUrl(this.info, 'hb'));
      const ping = Buffer.from(randomUUID());
      await socket.send(ping);
      const [echo] = await socket.receive();
      return echo !== undefined && echo.equals(ping);
    } catch {
      return false;
    } finally {
      socket.close();
    }
  }

  /** Rejects every outstanding request with `error` (used when the kernel dies). */
  failPending(error: Error): void {
    for (const waiter of this.waiters.values()) waiter.reject(error);
    this.waiters.clear();
  }

  /** Closes all sockets; outstanding requests fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failPending(new Error('KernelClient: connection closed'));
    this.listeners.clear();
    for (const socket of [this.shell, this.control, this.iopub]) socket.close();
  }

  private settle(message: JupyterMessage): void {
    const parentId = message.parentHeader.msg_id;
    if (parentId === undefined) return;
    const waiter = this.waiters.get(parentId);
    if (waiter === undefined) return;
    this.waiters.delete(parentId);
    waiter.resolve(message);
  }

  private async receive(socket: Zmq.Dealer | Zmq.Subscriber, handle: (message: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, this.info.key);
        } catch {
          this.badMessages += 1;
          continue;
        }
        try {
          handle(message);
        } catch {
          // A listener that throws on one message must not end the loop: later cells need their outputs.
          this.badMessages += 1;
        }
      }
    } catch (error) {
      // Closing a socket ends its receive loop; anything else is reported to pending requests.
      if (!this.closed) this.failPending(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
