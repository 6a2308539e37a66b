import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../model/errors.js';
import { type Limits, limits, tooLarge } from './limits.js';

/**
 * Reads one input named on the command line as text, never more than `inputBytes` of it, whatever `stat` says: a
 * regular file is read until its end or the limit (a file still being written cannot grow without bound), a
 * named pipe (`<(az aks show …)`) until its writer closes it, the limit, or `pipeIdleMs` of silence. Devices and
 * sockets are refused: `/dev/zero` never ends, and a terminal would wait for a person.
 */
export async function readInputFile(file: string, bounds: Limits = limits()): Promise<string> {
  const info = await stat(file).catch((error: unknown) => {
    throw fileError(file, error, 'no such file');
  });
  if (info.isFile()) return readRegularFile(file, info, bounds.inputBytes);
  if (info.isFIFO()) return readNamedPipe(file, bounds);
  throw new InputError(file, notAFile(info));
}

/** Standard input (or any stream) as text, refused past `maxBytes` or when it starts with binary bytes. */
export function readStreamText(stream: Readable, name: string, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks = new Collected(name, maxBytes);
    const fail = (error: unknown) => {
      stream.destroy();
      reject(error instanceof InputError ? error : fileError(name, error));
    };
    stream.on('data', (chunk: Buffer) => {
      try {
        chunks.add(chunk);
      } catch (error) {
        fail(error);
      }
    });
    stream.once('error', fail);
    stream.once('end', () => resolve(chunks.text()));
  });
}

async function readRegularFile(file: string, info: Stats, maxBytes: number): Promise<string> {
  if (info.size > maxBytes) throw tooLarge(file, maxBytes);
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw fileError(file, error);
  });
  try {
    // Sized from `stat`, one byte over to see growth; read in one call after a first look for binary bytes.
    let buffer: Buffer = Buffer.allocUnsafe(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw tooLarge(file, maxBytes);
        buffer = grown(buffer, Math.min(length * 2, maxBytes + 1));
      }
      const want = length === 0 ? Math.min(buffer.length, SNIFF_BYTES) : buffer.length - length;
      const { bytesRead } = await handle.read(buffer, length, want, null);
      if (bytesRead === 0) break;
      if (length === 0) refuseBinary(file, buffer.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > maxBytes) throw tooLarge(file, maxBytes);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    throw error instanceof InputError ? error : fileError(file, error);
  } finally {
    await handle.close();
  }
}

/**
 * A FIFO opened without blocking (a blocking open would wait for a writer forever) and read by polling. Until the
 * first bytes arrive, an end of file only means no writer has opened the pipe yet; after them it is the end. No
 * bytes for `pipeIdleMs` (no writer, or a silent one) is a timeout.
 */
async function readNamedPipe(file: string, bounds: Limits): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw fileError(file, error);
  });
  try {
    const collected = new Collected(file, bounds.inputBytes);
    const buffer = Buffer.allocUnsafe(PIPE_CHUNK_BYTES);
    let silentSince = Date.now();
    for (;;) {
      const bytesRead = await readAvailable(handle, buffer);
      if (bytesRead === 0 && collected.length > 0) break;
      if (bytesRead > 0) {
        collected.add(Buffer.from(buffer.subarray(0, bytesRead)));
        silentSince = Date.now();
      } else if (Date.now() - silentSince > bounds.pipeIdleMs) {
        throw new InputError(
          file,
          `nothing arrived on this pipe for ${bounds.pipeIdleMs / 1000} s: refused (AKSGUARD_PIPE_TIMEOUT raises the wait)`,
        );
      } else await sleep(PIPE_POLL_MS);
    }
    return collected.text();
  } catch (error) {
    throw fileError(file, error);
  } finally {
    await handle.close();
  }
}

const PIPE_CHUNK_BYTES = 1 << 20;
const PIPE_POLL_MS = 20;

/** Bytes read; 0 at an end of file; -1 when a writer has nothing for now (EAGAIN on a non-blocking pipe). */
async function readAvailable(handle: FileHandle, buffer: Buffer): Promise<number> {
  try {
    return (await handle.read(buffer, 0, buffer.length, null)).bytesRead;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return -1;
    throw error;
  }
}

/** Bytes of a stream gathered up to a limit, the first ones checked for a binary file. */
class Collected {
  private readonly chunks: Buffer[] = [];
  length = 0;

  constructor(
    private readonly name: string,
    private readonly maxBytes: number,
  ) {}

  add(chunk: Buffer): void {
    if (this.length < SNIFF_BYTES) refuseBinary(this.name, chunk.subarray(0, SNIFF_BYTES - this.length));
    this.length += chunk.length;
    if (this.length > this.maxBytes) throw tooLarge(this.name, this.maxBytes);
    this.chunks.push(chunk);
  }

  text(): string {
    return Buffer.concat(this.chunks, this.length).toString('utf8');
  }
}

/** How much of the start is looked at for signs of a binary file (as `git` and `grep` do). */
const SNIFF_BYTES = 8192;

function refuseBinary(name: string, start: Buffer): void {
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
    throw new InputError(name, 'this file is UTF-16 (Windows PowerShell writes it so): save it as UTF-8');
  }
  if (start.includes(0)) throw new InputError(name, 'this is a binary file, not a configuration file');
}

function grown(buffer: Buffer, size: number): Buffer {
  const bigger = Buffer.allocUnsafe(size);
  buffer.copy(bigger);
  return bigger;
}

function notAFile(info: Stats): string {
  if (info.isDirectory()) return REASONS.EISDIR as string;
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device, not a configuration file';
  if (info.isSocket()) return 'a socket, not a configuration file';
  return 'not a regular file';
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder where a file was expected',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links (a link loop?)',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'the disk or device reported an I/O error',
  ENXIO: 'no such device or address',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EAGAIN: 'not ready for reading (a device or a pipe?)',
  ENOSPC: 'no space left on the device',
  EROFS: 'a read-only file system',
};

/** A file system failure as a one-line input error naming the file: never `internal error`. */
export function fileError(file: string, error: unknown, missing = REASONS.ENOENT): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === 'ENOENT' ? missing : code === undefined ? undefined : REASONS[code];
  return new InputError(file, reason ?? `cannot read (${code ?? firstLine(error)})`);
}

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? '';
