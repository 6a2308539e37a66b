import { Command, CommanderError } from 'commander';
import { InputError, UsageError } from '../model/errors.js';
import { terminalLine } from '../report/terminal.js';
import { fileError } from '../sources/read-input.js';
import { registerBaseline } from './baseline.js';
import type { Cli } from './command.js';
import { registerDeploy } from './deploy.js';
import { type Io, processIo, VERSION } from './io.js';
import { registerNodes } from './nodes.js';
import { registerPatch } from './patch.js';
import { registerRebootDaemon } from './reboot-daemon.js';
import { registerExplain, registerRules } from './rules.js';
import { registerScan } from './scan.js';

/** Every command, in the order `--help` lists them. Each lives in its own module. */
const COMMANDS = [
  registerScan,
  registerBaseline,
  registerNodes,
  registerPatch,
  registerRules,
  registerExplain,
  registerDeploy,
  registerRebootDaemon,
];

/** Runs the CLI; returns the exit code (0 pass, 1 findings at or above --fail-on, 2 usage or input error). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const program = new Command('aksguard')
    .description('Find and fix what leaves Azure Kubernetes Service clusters exposed or unpatched.')
    .version(VERSION)
    .option('--debug', 'print stack traces for internal errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const cli: Cli = { io, argv, exit: (code) => (exitCode = code) };
  for (const register of COMMANDS) register(program, cli);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return failure(error, io, debug);
  }
}

/**
 * Every failure is one line on stderr and exit 2. What the line quotes (a file name, a server's answer) is shown
 * with its control characters and newlines escaped, so it stays one line and cannot drive the terminal.
 */
function failure(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : 2;
  }
  const line = (text: string) => io.stderr.write(`${terminalLine(text)}\n`);
  const system = systemError(error);
  if (error instanceof InputError) line(error.oneLine);
  else if (error instanceof UsageError) line(`aksguard: ${error.message}`);
  else if (system) line(system.oneLine);
  else {
    const message = error instanceof Error ? error.message : String(error);
    line(`aksguard: internal error: ${message}${debug ? '' : ' (run with --debug for details)'}`);
  }
  if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  return 2;
}

/** A file system failure nothing caught earlier (a folder that cannot be listed, a report that cannot be written). */
function systemError(error: unknown): InputError | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof path === 'string' ? fileError(path, error) : undefined;
}
