/**
 * Loaded into tslab kernel processes (`node --require`, through NODE_OPTIONS in the kernelspec) so
 * that no output is lost.
 *
 * tslab sends one iopub message per write without waiting for the send, and zeromq.js sends at most
 * a few hundred messages synchronously before it queues the next one and rejects all further sends
 * while that one is pending. A cell that prints 20 000 lines therefore lost all but about 500 of
 * them, and a test result displayed after such output was lost too. A publisher created with
 * `sendTimeout: 0` always sends at once, and `sendHighWaterMark: 0` keeps every message queued
 * instead of dropping it.
 */
import { createRequire } from 'module';

interface ZmqModule {
  Publisher: new (options?: Record<string, unknown>) => object;
}

const PATCHED = Symbol.for('gradlab.publisherPatched');

/** Makes `zmq.Publisher` create sockets that never drop or refuse messages; false if already done. */
export function patchPublisher(zmq: ZmqModule): boolean {
  const original = zmq.Publisher as ZmqModule['Publisher'] & { [PATCHED]?: boolean };
  if (original[PATCHED] === true) return false;
  class LosslessPublisher extends original {
    constructor(options?: Record<string, unknown>) {
      super({ sendHighWaterMark: 0, sendTimeout: 0, ...options });
    }
  }
  Object.defineProperty(LosslessPublisher, PATCHED, { value: true });
  Object.defineProperty(LosslessPublisher, 'name', { value: 'Publisher' });
  zmq.Publisher = LosslessPublisher;
  return true;
}

/** Patches the zeromq that the kernel's entry script (process.argv[1], tslab's bin) resolves. */
function install(): void {
  const entry = process.argv[1];
  if (entry === undefined || entry === '') return;
  let zmq: unknown;
  try {
    zmq = createRequire(entry)('zeromq');
  } catch {
    return; // not a zeromq kernel, or zeromq elsewhere: leave it as it is
  }
  if (typeof zmq === 'object' && zmq !== null && typeof (zmq as Partial<ZmqModule>).Publisher === 'function') {
    patchPublisher(zmq as ZmqModule);
  }
}

// Only as a preload (`--require`, before the main script loads); importing this module does nothing.
if (typeof require !== 'undefined' && require.main === undefined) install();
