import { execFile } from 'node:child_process';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Sentinel } from './ports.js';

/**
 * `--reboot-sentinel`: the file unattended-upgrades writes. Its folder is watched (the file itself may not exist
 * yet), so a new sentinel is seen within moments rather than at the next --period.
 */
export class FileSentinel implements Sentinel {
  constructor(private readonly path: string) {}

  async required(): Promise<boolean> {
    return existsSync(this.path);
  }

  watch(onChange: () => void): () => void {
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(this.path), (_event, file) => {
        if (file === null || file === basename(this.path)) onChange();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // No such folder (yet): the --period re-check still sees the file.
    }
    return () => watcher?.close();
  }
}

/** The argv that runs a command in the host's mount namespace (the pod shares the host PID namespace). */
export const onHost = (command: string): string[] => ['nsenter', '-m/proc/1/ns/mnt', '--', '/bin/sh', '-c', command];

/**
 * `--reboot-sentinel-command`: run on the host; exit 0 = reboot required, 1 = not, anything else is logged and
 * counts as not required (a broken check must not reboot nodes).
 */
export class CommandSentinel implements Sentinel {
  constructor(
    private readonly command: string,
    private readonly onError: (message: string) => void,
    private readonly argv: (command: string) => string[] = onHost,
  ) {}

  required(): Promise<boolean> {
    const [file, ...args] = this.argv(this.command) as [string, ...string[]];
    return new Promise((resolve) => {
      execFile(file, args, { timeout: 60_000 }, (error) => {
        if (!error) return resolve(true);
        const code = (error as { code?: unknown }).code;
        if (code === 1) return resolve(false);
        this.onError(`--reboot-sentinel-command failed (${typeof code === 'number' ? `exit ${code}` : error.message})`);
        resolve(false);
      });
    });
  }

  watch(): () => void {
    return () => undefined;
  }
}
