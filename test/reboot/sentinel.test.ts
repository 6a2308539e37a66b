import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignalRebooter } from '../../src/reboot/rebooter.js';
import { CommandSentinel, FileSentinel, onHost } from '../../src/reboot/sentinel.js';

const shell = (command: string) => ['/bin/sh', '-c', command];

describe('reboot sentinels', () => {
  it('a file: present means required; its appearance is seen by the folder watch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksguard-sentinel-'));
    const sentinel = new FileSentinel(join(dir, 'reboot-required'));
    expect(await sentinel.required()).toBe(false);
    const seen = new Promise<void>((resolve) => {
      const stop = sentinel.watch(() => {
        stop();
        resolve();
      });
    });
    writeFileSync(join(dir, 'unrelated'), '');
    writeFileSync(join(dir, 'reboot-required'), '');
    await seen;
    expect(await sentinel.required()).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file in a folder that does not exist is simply not there', async () => {
    const sentinel = new FileSentinel('/nonexistent-aksguard/reboot-required');
    expect(await sentinel.required()).toBe(false);
    sentinel.watch(() => undefined)();
  });

  it('a command: exit 0 is required, 1 is not, anything else is logged and not required', async () => {
    const errors: string[] = [];
    const check = (command: string) => new CommandSentinel(command, (m) => errors.push(m), shell).required();
    expect(await check('exit 0')).toBe(true);
    expect(await check('exit 1')).toBe(false);
    expect(errors).toEqual([]);
    expect(await check('exit 3')).toBe(false);
    expect(errors).toEqual(['--reboot-sentinel-command failed (exit 3)']);
  });

  it('runs host commands in the host mount namespace', () => {
    expect(onHost('test -f /var/run/reboot-required')).toEqual([
      'nsenter',
      '-m/proc/1/ns/mnt',
      '--',
      '/bin/sh',
      '-c',
      'test -f /var/run/reboot-required',
    ]);
  });

  it('the signal method sends --reboot-signal to PID 1', async () => {
    const sent: [number, number][] = [];
    await new SignalRebooter(39, (pid, signal) => sent.push([pid, signal])).reboot();
    expect(sent).toEqual([[1, 39]]);
  });
});
