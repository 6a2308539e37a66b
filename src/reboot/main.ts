import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { type Logger, levels, pino } from 'pino';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import { RebootDaemon } from './daemon.js';
import type { DaemonOptions } from './flags.js';
import { KubeOps } from './kube-ops.js';
import { RebootMetrics } from './metrics.js';
import { systemClock } from './ports.js';
import { CommandRebooter, SignalRebooter } from './rebooter.js';
import { CommandSentinel, FileSentinel } from './sentinel.js';
import { startHealthServer } from './server.js';
import { dailyWindow, type RebootWindow, readScheduleFile } from './window.js';

export interface DaemonProcess {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  /** Registers the SIGTERM/SIGINT handler. */
  onSignal(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
}

/** `aksguard reboot-daemon`: wires the real adapters to the state machine and runs until SIGTERM. */
export async function runDaemon(given: DaemonOptions, process: DaemonProcess): Promise<number> {
  // Outside a DaemonSet (no downward API) each process is its own actor.
  const options = given.podUid ? given : { ...given, podUid: `process-${randomUUID()}` };
  const log = logger(options, process);
  const window = windowOf(options);
  const config = kubeConfig(options, process.env);
  const metrics = new RebootMetrics(options.nodeName);
  const sentinel = options.rebootSentinelCommand
    ? new CommandSentinel(options.rebootSentinelCommand, (m) => log.warn(m))
    : new FileSentinel(options.rebootSentinel);
  const rebooter =
    options.rebootMethod === 'signal'
      ? new SignalRebooter(options.rebootSignal)
      : new CommandRebooter(options.rebootCommand);
  const daemon = new RebootDaemon(options, {
    ops: new KubeOps(config),
    clock: systemClock,
    sentinel,
    rebooter,
    window,
    log,
    metrics,
    fetch: globalThis.fetch,
  });
  const server = await startHealthServer({
    host: options.metricsHost,
    port: options.metricsPort,
    registry: metrics.registry,
    ready: () => daemon.ready(),
  });
  log.info(
    {
      window: window.describe(),
      concurrency: options.concurrency,
      dryRun: options.dryRun,
      metricsPort: server.port,
    },
    'reboot daemon started',
  );
  const stop = () => {
    log.info('stopping: keeping the node’s recorded state');
    void daemon.stop();
  };
  process.onSignal('SIGTERM', stop);
  process.onSignal('SIGINT', stop);
  await daemon.run();
  await server.close();
  return 0;
}

function windowOf(options: DaemonOptions): RebootWindow {
  if (options.maintenanceSchedule) return readScheduleFile(options.maintenanceSchedule);
  return dailyWindow({
    days: options.rebootDays,
    startTime: options.startTime,
    endTime: options.endTime,
    timeZone: options.timeZone,
  });
}

function kubeConfig(options: DaemonOptions, env: DaemonProcess['env']): KubeConfig {
  if (options.kubeconfig) return loadKubeconfig({ path: options.kubeconfig, env }).config;
  const config = new KubeConfig();
  config.loadFromCluster();
  return config;
}

/** pino JSON lines, or one readable line per record with `--log-format text`; the level from LOG_LEVEL. */
function logger(options: DaemonOptions, process: DaemonProcess): Logger {
  const level = process.env.LOG_LEVEL ?? 'info';
  const base = { node: options.nodeName };
  if (options.logFormat === 'json')
    return pino({ level, base }, { write: (line: string) => process.stdout.write(line) });
  return pino(
    { level, base },
    {
      write: (line: string) => {
        const {
          time,
          level: n,
          msg,
          pid: _pid,
          hostname: _host,
          node: _node,
          ...rest
        } = JSON.parse(line) as Record<string, unknown>;
        const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        const name = levels.labels[Number(n)] ?? String(n);
        process.stdout.write(
          `${new Date(Number(time)).toISOString()} ${name.toUpperCase()} ${msg}${fields.length ? ` ${fields.join(' ')}` : ''}\n`,
        );
      },
    },
  );
}
