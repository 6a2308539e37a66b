import type { Command } from 'commander';
import type { Io } from './io.js';

/** What a command module gets: the process I/O, the raw arguments, and a way to set the exit code. */
export interface Cli {
  readonly io: Io;
  readonly argv: readonly string[];
  exit(code: number): void;
}

/** Adds one command (with its options, help and action) to the program. */
export type Register = (program: Command, cli: Cli) => void;

/** For repeatable options that also accept comma-separated lists. */
export const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];
