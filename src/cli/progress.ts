import type { Io } from './io.js';

/**
 * A progress line on stderr for work that takes more than a second, only on a terminal (CI logs stay clean).
 * Returns the callback to report progress and a function that clears the line.
 */
export function progress(
  io: Io,
  label: string,
  enabled: boolean,
): { update(done: number, total: number): void; end(): void } {
  const started = Date.now();
  let shown = false;
  const active = enabled && io.stderr.isTTY === true;
  const control = (sequence: string) => (io.stderr.writeControl ?? io.stderr.write).call(io.stderr, sequence);
  return {
    update(done, total) {
      if (!active || Date.now() - started < 1000) return;
      shown = true;
      control('\r');
      io.stderr.write(`${label} ${done}/${total}…`);
    },
    end() {
      if (shown) control('\r\u001b[2K');
    },
  };
}
