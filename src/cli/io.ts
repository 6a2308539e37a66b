import { terminalText } from '../report/terminal.js';
import { limits } from '../sources/limits.js';
import { readStreamText } from '../sources/read-input.js';

export { VERSION } from '../model/package.js';

/** What the CLI touches of the process, so tests can run it in-process. */
export interface Io {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean | undefined };
  readonly stderr: {
    /** A message for people; the process's stderr shows control characters in it escaped, never obeyed. */
    write(text: string): unknown;
    readonly isTTY?: boolean | undefined;
    /** Cursor controls written as they are (the progress line); without it they go through `write`. */
    writeControl?(sequence: string): unknown;
  };
  readStdin(): Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The wall clock; the scan time is `--as-of` or this. */
  now(): Date;
}

export function processIo(): Io {
  // `aksguard … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    stdout: process.stdout,
    // Every message may quote a file name, a resource name or a server's answer: none of them may drive the terminal.
    stderr: {
      write: (text: string) => process.stderr.write(terminalText(text)),
      isTTY: process.stderr.isTTY,
      writeControl: (sequence: string) => process.stderr.write(sequence),
    },
    readStdin: () => readStreamText(process.stdin, '<stdin>', limits().inputBytes),
    env: process.env,
    now: () => new Date(),
  };
}
