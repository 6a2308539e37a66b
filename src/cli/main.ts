import { Command, CommanderError } from 'commander';
import { InputError, UsageError } from '../model/errors.js';
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

function failure(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof InputError) io.stderr.write(`${error.oneLine}\n`);
  else if (error instanceof UsageError) io.stderr.write(`aksguard: ${error.message}\n`);
  else {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`aksguard: internal error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  }
  return 2;
}
