/**
 * Whether a process with this pid runs on this machine. Signal 0 checks without sending
 * anything: ESRCH means gone, EPERM means it exists but belongs to another user.
 */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
