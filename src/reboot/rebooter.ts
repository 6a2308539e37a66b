import { execFile } from 'node:child_process';
import type { Rebooter } from './ports.js';
import { onHost } from './sentinel.js';

/** `--reboot-method command`: the reboot command in the host's mount namespace (`systemctl reboot`). */
export class CommandRebooter implements Rebooter {
  constructor(private readonly command: string) {}

  reboot(): Promise<void> {
    const [file, ...args] = onHost(this.command) as [string, ...string[]];
    return new Promise((resolve, reject) => {
      execFile(file, args, { timeout: 60_000 }, (error, _stdout, stderr) =>
        error ? reject(new Error(`reboot command failed: ${stderr.trim() || error.message}`)) : resolve(),
      );
    });
  }
}

/**
 * `--reboot-method signal`: systemd reboots on SIGRTMIN+5 to PID 1; with hostPID that is the host's init, and
 * the pod needs only CAP_KILL instead of running privileged.
 */
export class SignalRebooter implements Rebooter {
  constructor(
    private readonly signal: number,
    private readonly kill: (pid: number, signal: number) => void = (pid, signal) => process.kill(pid, signal),
  ) {}

  async reboot(): Promise<void> {
    this.kill(1, this.signal);
  }
}
