/**
 * Kernel connection files: the ports, transport and signing key a kernel binds and a client uses.
 */
import { randomBytes } from 'crypto';
import { writeFileSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';

/** The contents of a Jupyter connection file. */
export interface ConnectionInfo {
  /** `tcp` (ip + ports) or `ipc` (Unix sockets named `<ip>:<port>`, as tslab binds them). */
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
}

/** The five channels of a kernel. */
export type Channel = 'shell' | 'iopub' | 'stdin' | 'control' | 'hb';

/** A TCP port that was free a moment ago on `ip` (the OS picks it). */
function freePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`freePort: no port assigned on ${ip}`))));
    });
  });
}

/** Fresh connection details: five distinct free ports on loopback and a random signing key. */
export async function allocateConnection(kernelName: string, ip = '127.0.0.1'): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort(ip));
  const [shell, iopub, stdin, control, hb] = [...ports] as [number, number, number, number, number];
  return {
    transport: 'tcp',
    ip,
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
    kernel_name: kernelName,
  };
}

/**
 * Connection details over Unix sockets `<dir>/k:1` ... `<dir>/k:5` (tslab binds `ipc://<ip>:<port>`),
 * for a kernel in its own network namespace that can reach no TCP port outside it.
 */
export function allocateIpcConnection(kernelName: string, dir: string): ConnectionInfo {
  return {
    transport: 'ipc',
    ip: join(dir, 'k'),
    shell_port: 1,
    iopub_port: 2,
    stdin_port: 3,
    control_port: 4,
    hb_port: 5,
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
    kernel_name: kernelName,
  };
}

/** The ZeroMQ address of one channel, e.g. `tcp://127.0.0.1:53121`. */
export function channelUrl(info: ConnectionInfo, channel: Channel): string {
  const port = {
    shell: info.shell_port,
    iopub: info.iopub_port,
    stdin: info.stdin_port,
    control: info.control_port,
    hb: info.hb_port,
  }[channel];
  return `${info.transport}://${info.ip}:${port}`;
}

/** Writes `kernel-<random>.json` into `dir` (owner-only permissions) and returns its path. */
export function writeConnectionFile(dir: string, info: ConnectionInfo): string {
  const file = join(dir, `kernel-${randomBytes(6).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  return file;
}
