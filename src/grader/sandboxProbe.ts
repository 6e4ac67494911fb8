/**
 * Whether bubblewrap can build the grading sandbox on this machine. It is installed but fails where
 * user namespaces are not allowed: Ubuntu 23.10 and later restrict them through AppArmor
 * (`kernel.apparmor_restrict_unprivileged_userns`), and containers often forbid them.
 */
import { spawnSync } from 'child_process';

/** The sysctl that lets bubblewrap work on Ubuntu 23.10 and later. */
export const UBUNTU_USERNS_FIX = 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0';

/** `bwrap` after trying it, or null with the reason when it is missing or cannot build its sandbox here. */
export function probeBwrap(bwrap: string | null): { bwrap: string | null; problem: string | null } {
  if (bwrap === null) return { bwrap: null, problem: 'bubblewrap (bwrap) is not installed' };
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--unshare-net', '--unshare-pid', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', 'true'];
  const probe = spawnSync(bwrap, args, { encoding: 'utf8', timeout: 20_000 });
  if (probe.status === 0) return { bwrap, problem: null };
  const why = (probe.stderr || probe.error?.message || `exit status ${String(probe.status)}`).trim();
  return { bwrap: null, problem: `bubblewrap (${bwrap}) cannot build its sandbox here: ${why}` };
}
