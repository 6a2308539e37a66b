import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { DEFAULT_LIMITS, type Limits, limits } from '../../src/sources/limits.js';
import { fileError, readInputFile, readStreamText } from '../../src/sources/read-input.js';

const dir = mkdtempSync(join(tmpdir(), 'aksguard-read-'));
const small: Limits = { ...DEFAULT_LIMITS, inputBytes: 64, pipeIdleMs: 300 };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof InputError ? error.oneLine : `not an InputError: ${String(error)}`),
  );

describe('reading an input with a byte cap', () => {
  it('reads a regular file whole', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, '{"a": "é"}');
    expect(await readInputFile(file, small)).toBe('{"a": "é"}');
  });

  it('refuses a file larger than the cap from its size, before reading it', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, 'x'.repeat(65));
    expect(await failure(readInputFile(file, small))).toBe(
      `${file}: larger than 0 MB: refused (AKSGUARD_MAX_INPUT_MB raises the limit)`,
    );
  });

  it('does not trust the size the file system reports (procfs says 0 bytes)', async () => {
    expect(await failure(readInputFile('/proc/self/status', small))).toMatch(/^\/proc\/self\/status: larger than/);
  });

  it('refuses devices, folders, binary and UTF-16 files', async () => {
    expect(await failure(readInputFile('/dev/zero', small))).toBe('/dev/zero: a device, not a configuration file');
    mkdirSync(join(dir, 'folder.json'));
    expect(await failure(readInputFile(join(dir, 'folder.json'), small))).toMatch(
      /: a folder where a file was expected$/,
    );
    writeFileSync(join(dir, 'bin.json'), Buffer.from([0x7b, 0, 0x7d]));
    expect(await failure(readInputFile(join(dir, 'bin.json'), small))).toMatch(/: this is a binary file/);
    writeFileSync(join(dir, 'utf16.json'), Buffer.from([0xff, 0xfe, 0x7b, 0]));
    expect(await failure(readInputFile(join(dir, 'utf16.json'), small))).toMatch(/: this file is UTF-16/);
    expect(await failure(readInputFile(join(dir, 'missing.json'), small))).toMatch(/: no such file$/);
  });

  it('a named pipe: read until its writer closes it, or refused after a silence', async () => {
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    const reading = readInputFile(fifo, small);
    const writer = spawn('/bin/sh', ['-c', `printf '{"a": 1}' > '${fifo}'`]);
    expect(await reading).toBe('{"a": 1}');
    writer.kill();
    const refusal = `${fifo}: nothing arrived on this pipe for 0.3 s: refused (AKSGUARD_PIPE_TIMEOUT raises the wait)`;
    const started = Date.now();
    expect(await failure(readInputFile(fifo, small))).toBe(refusal);
    // A writer that holds the pipe open and never writes.
    const silent = openSync(fifo, 'r+');
    expect(await failure(readInputFile(fifo, small))).toBe(refusal);
    closeSync(silent);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a stream past the cap is refused, and stops being read', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.from('0123456789'));
      },
    });
    expect(await failure(readStreamText(endless, '<stdin>', 64))).toBe(
      '<stdin>: larger than 0 MB: refused (AKSGUARD_MAX_INPUT_MB raises the limit)',
    );
    expect(endless.destroyed).toBe(true);
    expect(pulled).toBeLessThan(20);
  });

  it('file system errors name the file and say what is wrong, never internal', () => {
    const error = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(fileError('f', error('EACCES')).oneLine).toBe('f: permission denied');
    expect(fileError('f', error('EPERM')).oneLine).toBe('f: permission denied');
    expect(fileError('f', error('EISDIR')).oneLine).toBe('f: a folder where a file was expected');
    expect(fileError('f', error('ELOOP')).oneLine).toBe('f: too many symbolic links (a link loop?)');
    expect(fileError('f', error('EWEIRD')).oneLine).toBe('f: cannot read (EWEIRD)');
  });

  it('limits come from the environment, and a bad value is a usage error', () => {
    expect(limits({ AKSGUARD_MAX_INPUT_MB: '1.5', AKSGUARD_PIPE_TIMEOUT: '2' })).toMatchObject({
      inputBytes: 1.5 * 2 ** 20,
      pipeIdleMs: 2000,
      objects: DEFAULT_LIMITS.objects,
    });
    expect(() => limits({ AKSGUARD_MAX_OBJECTS: 'lots' })).toThrow(
      "AKSGUARD_MAX_OBJECTS must be a positive number (got 'lots')",
    );
  });
});
