import { UsageError } from '../model/errors.js';

/**
 * Every `aksguard reboot-daemon` flag, as data. The CLI's --help, the option parser, the deploy command's
 * DaemonSet arguments and the kured flag translation all read this one table, so a flag added here exists
 * everywhere. `kured` names kured's flag of the same meaning (mostly the same name).
 */
export interface DaemonFlag {
  readonly name: string;
  /** `list`: comma-separated, repeatable; `repeated`: one value per occurrence, never split (selectors, URLs). */
  readonly kind: 'string' | 'number' | 'duration' | 'boolean' | 'list' | 'repeated';
  readonly default?: string;
  readonly description: string;
  readonly kured?: string;
}

export const DAEMON_FLAGS: readonly DaemonFlag[] = [
  // Identity and cluster access
  {
    name: 'node-name',
    kind: 'string',
    description: 'the node this pod runs on (set from the downward API spec.nodeName)',
    kured: 'node-id',
  },
  {
    name: 'namespace',
    kind: 'string',
    default: 'kube-system',
    description: 'namespace of the aksguard-reboot Lease (set from the downward API metadata.namespace)',
    kured: 'ds-namespace',
  },
  {
    name: 'pod-name',
    kind: 'string',
    description:
      'this daemon pod (set from the downward API metadata.name): only one pod acts on a node, and another takes over only once this one is gone',
  },
  {
    name: 'pod-uid',
    kind: 'string',
    description: 'uid of this daemon pod (set from the downward API metadata.uid; default: a new one per process)',
  },
  { name: 'kubeconfig', kind: 'string', description: 'kubeconfig to use outside a cluster (default: in-cluster)' },
  // Detect
  {
    name: 'reboot-sentinel',
    kind: 'string',
    default: '/var/run/reboot-required',
    description: 'file whose presence means a reboot is required (watched, and re-checked every --period)',
    kured: 'reboot-sentinel',
  },
  {
    name: 'reboot-sentinel-command',
    kind: 'string',
    description: 'command run on the host instead of the file check: exit 0 = reboot required, 1 = not',
    kured: 'reboot-sentinel-command',
  },
  {
    name: 'period',
    kind: 'duration',
    default: '1m',
    description: 'how often to re-check the sentinel and the gates',
    kured: 'period',
  },
  {
    name: 'max-reboot-attempts',
    kind: 'number',
    default: '3',
    description: 'reboots in a row after which a sentinel that stays stops reboots on the node (loop guard)',
  },
  // Gate
  {
    name: 'reboot-days',
    kind: 'list',
    default: 'su,mo,tu,we,th,fr,sa',
    description: 'days reboots may happen on (su,mo,tu,we,th,fr,sa)',
    kured: 'reboot-days',
  },
  {
    name: 'start-time',
    kind: 'string',
    default: '0:00',
    description: 'local time of day the reboot window opens',
    kured: 'start-time',
  },
  {
    name: 'end-time',
    kind: 'string',
    default: '23:59:59',
    description: 'local time of day the reboot window closes',
    kured: 'end-time',
  },
  {
    name: 'time-zone',
    kind: 'string',
    default: 'UTC',
    description: 'IANA time zone of --start-time/--end-time/--reboot-days (e.g. Europe/Berlin)',
    kured: 'time-zone',
  },
  {
    name: 'maintenance-schedule',
    kind: 'string',
    description: 'JSON file with an AKS-style maintenance schedule (weekly, absoluteMonthly, relativeMonthly…)',
  },
  {
    name: 'blocking-pod-selector',
    kind: 'repeated',
    description: 'label selector (e.g. app=backup,tier=db): matching pods on the node block the reboot (repeatable)',
    kured: 'blocking-pod-selector',
  },
  {
    name: 'prometheus-url',
    kind: 'string',
    description: 'Prometheus server whose active alerts block reboots',
    kured: 'prometheus-url',
  },
  {
    name: 'alert-filter-regexp',
    kind: 'string',
    description: 'alerts whose name matches this are ignored (with --alert-filter-match-only: only those count)',
    kured: 'alert-filter-regexp',
  },
  {
    name: 'alert-filter-match-only',
    kind: 'boolean',
    default: 'false',
    description: 'only alerts whose name matches --alert-filter-regexp block',
    kured: 'alert-filter-match-only',
  },
  {
    name: 'alert-firing-only',
    kind: 'boolean',
    default: 'false',
    description: 'only firing alerts block (not pending ones)',
    kured: 'alert-firing-only',
  },
  // Lock
  {
    name: 'concurrency',
    kind: 'number',
    default: '1',
    description: 'nodes that may hold a reboot slot (drain, reboot, wait to be verified) at the same time',
    kured: 'concurrency',
  },
  {
    name: 'lock-ttl',
    kind: 'duration',
    default: '60s',
    description:
      'a slot whose holder’s heartbeat has not changed this long may be freed, but only while that node is Ready, schedulable and idle (never while it is down)',
    kured: 'lock-ttl',
  },
  {
    name: 'lock-renew-interval',
    kind: 'duration',
    default: '10s',
    description:
      'how often the holder renews its heartbeat (under half of --lock-ttl); writes failing for --lock-ttl minus two of these stop its drain',
  },
  {
    name: 'lock-release-delay',
    kind: 'duration',
    default: '0s',
    description: 'keep the slot this long after a verified reboot before the next node may start',
    kured: 'lock-release-delay',
  },
  {
    name: 'reboot-timeout',
    kind: 'duration',
    default: '30m',
    description:
      'a node still down this long after its reboot is reported overdue (Event, metric, notification); it keeps counting as unavailable',
  },
  {
    name: 'max-unavailable-per-pool',
    kind: 'number',
    default: '1',
    description:
      'nodes of one agent pool that may be unavailable at once (NotReady, cordoned, or draining/rebooting until verified)',
  },
  {
    name: 'max-unavailable-per-zone',
    kind: 'number',
    description:
      'nodes of one zone that may be unavailable at once, counted as for --max-unavailable-per-pool (default: no limit)',
  },
  // Drain
  {
    name: 'drain-timeout',
    kind: 'duration',
    default: '30m',
    description: 'give up the drain after this long (0 = never)',
    kured: 'drain-timeout',
  },
  {
    name: 'drain-grace-period',
    kind: 'number',
    default: '-1',
    description: 'seconds each evicted pod gets to stop (-1 = the pod’s own terminationGracePeriodSeconds)',
    kured: 'drain-grace-period',
  },
  {
    name: 'drain-pod-selector',
    kind: 'string',
    description: 'only evict pods matching this label selector',
    kured: 'drain-pod-selector',
  },
  {
    name: 'delete-emptydir-data',
    kind: 'boolean',
    default: 'true',
    description: 'evict pods with emptyDir volumes (their data is lost)',
  },
  {
    name: 'drain-delay',
    kind: 'duration',
    default: '0s',
    description: 'wait this long after cordoning before evicting',
    kured: 'drain-delay',
  },
  {
    name: 'skip-wait-for-delete-timeout',
    kind: 'number',
    default: '0',
    description: 'seconds after which a pod stuck terminating is no longer waited for (0 = wait until --drain-timeout)',
    kured: 'skip-wait-for-delete-timeout',
  },
  {
    name: 'prefer-no-schedule-taint',
    kind: 'string',
    default: '',
    description:
      'taint key set with effect PreferNoSchedule while the node waits for its reboot, so evicted pods avoid it (empty = none)',
    kured: 'prefer-no-schedule-taint',
  },
  {
    name: 'force-reboot',
    kind: 'boolean',
    default: 'false',
    description: 'reboot even when the drain times out',
    kured: 'force-reboot',
  },
  {
    name: 'pre-reboot-node-labels',
    kind: 'list',
    description: 'labels (key=value) set on the node before the drain',
    kured: 'pre-reboot-node-labels',
  },
  {
    name: 'post-reboot-node-labels',
    kind: 'list',
    description: 'labels (key=value) set on the node after a verified reboot',
    kured: 'post-reboot-node-labels',
  },
  // Reboot
  {
    name: 'reboot-delay',
    kind: 'duration',
    default: '0s',
    description: 'wait this long after the drain before rebooting',
    kured: 'reboot-delay',
  },
  {
    name: 'reboot-method',
    kind: 'string',
    default: 'command',
    description: 'command (run --reboot-command on the host) or signal (send --reboot-signal to PID 1)',
    kured: 'reboot-method',
  },
  {
    name: 'reboot-command',
    kind: 'string',
    default: '/bin/systemctl reboot',
    description: 'host command that reboots (run through nsenter -m/proc/1/ns/mnt)',
    kured: 'reboot-command',
  },
  {
    name: 'reboot-signal',
    kind: 'number',
    default: '39',
    description: 'signal sent to PID 1 with --reboot-method signal (39 = SIGRTMIN+5)',
    kured: 'reboot-signal',
  },
  {
    name: 'dry-run',
    kind: 'boolean',
    default: 'false',
    description: 'do everything except evicting pods and rebooting',
  },
  // Operability
  {
    name: 'notify-url',
    kind: 'repeated',
    description:
      'webhook to post progress to (repeatable; hooks.slack.com and *.webhook.office.com get their shapes; it holds a secret: deploy it with --notify-url-secret)',
    kured: 'notify-url',
  },
  {
    name: 'message-template-drain',
    kind: 'string',
    default: 'Draining node %s',
    description: 'notification when the drain starts (%s = node)',
    kured: 'message-template-drain',
  },
  {
    name: 'message-template-reboot',
    kind: 'string',
    default: 'Rebooting node %s',
    description: 'notification when the reboot starts (%s = node)',
    kured: 'message-template-reboot',
  },
  {
    name: 'message-template-done',
    kind: 'string',
    default: 'Node %s rebooted and verified',
    description: 'notification after a verified reboot (%s = node)',
    kured: 'message-template-uncordon',
  },
  {
    name: 'message-template-failed',
    kind: 'string',
    default: 'Reboot of node %s failed: %r',
    description: 'notification when a drain or reboot fails or a node is overdue (%s = node, %r = reason)',
  },
  {
    name: 'log-format',
    kind: 'string',
    default: 'json',
    description: 'json or text',
    kured: 'log-format',
  },
  {
    name: 'metrics-host',
    kind: 'string',
    default: '',
    description: 'address the /metrics, /healthz and /readyz server listens on (empty = all)',
    kured: 'metrics-host',
  },
  {
    name: 'metrics-port',
    kind: 'number',
    default: '8080',
    description: 'port of the /metrics, /healthz and /readyz server',
    kured: 'metrics-port',
  },
];

/** `reboot-sentinel` → `AKSGUARD_REBOOT_SENTINEL`. */
export const envName = (flag: string): string => `AKSGUARD_${flag.toUpperCase().replace(/-/g, '_')}`;

export type FlagValue = string | number | boolean | readonly string[];

/** Options as the daemon uses them; durations in milliseconds. */
export interface DaemonOptions {
  readonly nodeName: string;
  readonly namespace: string;
  readonly podName: string;
  /** Empty when not given: main.ts makes one up per process. */
  readonly podUid: string;
  readonly kubeconfig: string | undefined;
  readonly rebootSentinel: string;
  readonly rebootSentinelCommand: string | undefined;
  readonly periodMs: number;
  readonly maxRebootAttempts: number;
  readonly rebootDays: readonly number[];
  readonly startTime: string;
  readonly endTime: string;
  readonly timeZone: string;
  readonly maintenanceSchedule: string | undefined;
  readonly blockingPodSelectors: readonly string[];
  readonly prometheusUrl: string | undefined;
  readonly alertFilterRegexp: RegExp | undefined;
  readonly alertFiringOnly: boolean;
  readonly alertFilterMatchOnly: boolean;
  readonly concurrency: number;
  readonly lockTtlMs: number;
  readonly lockRenewMs: number;
  readonly lockReleaseDelayMs: number;
  readonly rebootTimeoutMs: number;
  readonly maxUnavailablePerPool: number;
  readonly maxUnavailablePerZone: number | undefined;
  readonly drainTimeoutMs: number;
  readonly drainGracePeriodSeconds: number;
  readonly drainPodSelector: string | undefined;
  readonly deleteEmptyDirData: boolean;
  readonly drainDelayMs: number;
  readonly skipWaitForDeleteTimeoutSeconds: number;
  readonly preferNoScheduleTaint: string | undefined;
  readonly forceReboot: boolean;
  readonly preRebootNodeLabels: Readonly<Record<string, string>>;
  readonly postRebootNodeLabels: Readonly<Record<string, string>>;
  readonly rebootDelayMs: number;
  readonly rebootMethod: 'command' | 'signal';
  readonly rebootCommand: string;
  readonly rebootSignal: number;
  readonly dryRun: boolean;
  readonly notifyUrls: readonly string[];
  readonly messageTemplates: {
    readonly drain: string;
    readonly reboot: string;
    readonly done: string;
    readonly failed: string;
  };
  readonly logFormat: 'json' | 'text';
  readonly metricsHost: string;
  readonly metricsPort: number;
}

/**
 * Reads the flags from `argv` (`--name value`, `--name=value`, `--no-name` for booleans; list flags repeat and take
 * commas, repeated flags take one value each, as kured's selectors and URLs) over `AKSGUARD_<FLAG>` environment
 * variables over the table's defaults. Throws a one-line UsageError.
 */
export function parseDaemonOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): DaemonOptions {
  const values = new Map<string, FlagValue>();
  for (const flag of DAEMON_FLAGS) {
    const fromEnv = env[envName(flag.name)];
    const text = fromEnv ?? flag.default;
    if (text !== undefined)
      values.set(flag.name, convert(flag, text, fromEnv === undefined ? 'default' : envName(flag.name)));
  }
  const fromArgs = new Map<string, FlagValue>();
  for (const { name, flag, text } of flagTokens(argv, 'reboot-daemon')) {
    if (!flag) continue; // no own flags: flagTokens returns daemon flags only
    const value = convert(flag, text, `--${name}`);
    const previous = fromArgs.get(name);
    const repeatable = flag.kind === 'list' || flag.kind === 'repeated';
    fromArgs.set(name, repeatable && Array.isArray(previous) ? [...previous, ...(value as string[])] : value);
  }
  for (const [name, value] of fromArgs) values.set(name, value);
  return toOptions(values);
}

/** One `--flag` of a command line: a flag of the table, or (with `flag` undefined) one of the caller's own. */
export interface FlagToken {
  readonly name: string;
  readonly flag: DaemonFlag | undefined;
  readonly text: string;
}

/**
 * Splits a command line into flags in the daemon's syntax — `--name value`, `--name=value`, a boolean alone or
 * `--no-name` — checked against the table. `own` names the calling command's own flags: `value` ones take a
 * value, `switch` ones none; they win over a table flag of the same name.
 */
export function flagTokens(
  argv: readonly string[],
  command: string,
  own: Readonly<Record<string, 'value' | 'switch'>> = {},
): FlagToken[] {
  const tokens: FlagToken[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith('--')) throw new UsageError(`${command} takes only flags (got '${token}')`);
    const eq = token.indexOf('=');
    let name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    let text = eq < 0 ? undefined : token.slice(eq + 1);
    const mine = Object.hasOwn(own, name) ? own[name] : undefined;
    let flag = mine ? undefined : DAEMON_FLAGS.find((f) => f.name === name);
    if (!mine && !flag && name.startsWith('no-') && text === undefined) {
      flag = DAEMON_FLAGS.find((f) => f.name === name.slice(3) && f.kind === 'boolean');
      if (flag) [name, text] = [flag.name, 'false'];
    }
    if (!mine && !flag) throw new UsageError(`unknown flag --${name} (see aksguard ${command} --help)`);
    if (text === undefined) {
      if (mine === 'switch' || flag?.kind === 'boolean') text = 'true';
      else {
        text = argv[++i];
        if (text === undefined) throw new UsageError(`--${name} needs a value`);
      }
    }
    tokens.push({ name, flag, text });
  }
  return tokens;
}

function convert(flag: DaemonFlag, text: string, where: string): FlagValue {
  const bad = (what: string) => new UsageError(`${where}: ${what} (got '${text}')`);
  switch (flag.kind) {
    case 'string':
      return text;
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isInteger(n)) throw bad('expected a whole number');
      return n;
    }
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined) throw bad('expected a duration like 30s, 5m, 1h30m');
      return ms;
    }
    case 'boolean':
      if (/^(true|1|yes)$/i.test(text)) return true;
      if (/^(false|0|no)$/i.test(text)) return false;
      throw bad('expected true or false');
    case 'list':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'repeated':
      return text.trim() === '' ? [] : [text.trim()];
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as kured takes them: `90s`, `1h30m`, `500ms`; a bare number is seconds; `0` is zero. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return total;
}

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `mo`, `mon`, `monday` → 1. */
export function dayNumber(text: string): number {
  const lower = text.toLowerCase();
  return lower.length < 2 ? -1 : DAY_NAMES.findIndex((d) => d.startsWith(lower));
}

/** `H:MM` or `HH:MM:SS` → seconds after midnight. */
export function timeOfDay(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  return h > 23 || m > 59 || s > 59 ? undefined : h * 3600 + m * 60 + s;
}

function labels(list: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag}: expected key=value (got '${item}')`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function toOptions(values: Map<string, FlagValue>): DaemonOptions {
  const str = (name: string) => values.get(name) as string | undefined;
  const num = (name: string) => values.get(name) as number | undefined;
  const bool = (name: string) => values.get(name) === true;
  const list = (name: string) => (values.get(name) as readonly string[] | undefined) ?? [];
  const optional = (name: string) => (str(name) ? str(name) : undefined);

  const nodeName = str('node-name');
  if (!nodeName) throw new UsageError('--node-name (or AKSGUARD_NODE_NAME) is required: the node this pod runs on');
  const rebootDays = list('reboot-days').map((d) => {
    const day = dayNumber(d);
    if (day < 0) throw new UsageError(`--reboot-days: '${d}' is not a day (su,mo,tu,we,th,fr,sa)`);
    return day;
  });
  for (const name of ['start-time', 'end-time']) {
    if (timeOfDay(str(name) as string) === undefined)
      throw new UsageError(`--${name}: expected a time like 2:00 or 23:59:59 (got '${str(name)}')`);
  }
  const timeZone = str('time-zone') as string;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new UsageError(`--time-zone: '${timeZone}' is not an IANA time zone (e.g. UTC, Europe/Berlin)`);
  }
  const positive = (name: string) => {
    const n = num(name);
    if (n !== undefined && n < 1) throw new UsageError(`--${name} must be at least 1 (got ${n})`);
    return n;
  };
  const rebootMethod = str('reboot-method');
  if (rebootMethod !== 'command' && rebootMethod !== 'signal')
    throw new UsageError(`--reboot-method must be command or signal (got '${rebootMethod}')`);
  const logFormat = str('log-format');
  if (logFormat !== 'json' && logFormat !== 'text')
    throw new UsageError(`--log-format must be json or text (got '${logFormat}')`);
  const lockTtlMs = num('lock-ttl') as number;
  const lockRenewMs = num('lock-renew-interval') as number;
  if (lockTtlMs <= 0)
    throw new UsageError('--lock-ttl must be more than 0: a slot must free itself when its holder dies');
  // Self-fencing stops a drain after --lock-ttl minus two renewal intervals without a renewal: that must be > 0.
  if (lockRenewMs <= 0 || lockRenewMs * 2 >= lockTtlMs)
    throw new UsageError('--lock-renew-interval must be more than 0 and less than half of --lock-ttl');
  if ((num('period') as number) <= 0) throw new UsageError('--period must be more than 0');
  if ((num('skip-wait-for-delete-timeout') as number) < 0)
    throw new UsageError('--skip-wait-for-delete-timeout must be 0 or more seconds');
  const alertFilter = optional('alert-filter-regexp');
  let alertFilterRegexp: RegExp | undefined;
  try {
    alertFilterRegexp = alertFilter === undefined ? undefined : new RegExp(alertFilter);
  } catch {
    throw new UsageError(`--alert-filter-regexp: '${alertFilter}' is not a regular expression`);
  }
  if (bool('alert-filter-match-only') && !alertFilterRegexp)
    throw new UsageError('--alert-filter-match-only needs --alert-filter-regexp (without it no alert would block)');
  for (const url of [...list('notify-url'), ...(optional('prometheus-url') ? [str('prometheus-url')] : [])]) {
    if (!URL.canParse(url as string)) throw new UsageError(`'${url}' is not a URL`);
  }
  return {
    nodeName,
    namespace: str('namespace') as string,
    podName: str('pod-name') ?? '',
    podUid: str('pod-uid') ?? '',
    kubeconfig: optional('kubeconfig'),
    rebootSentinel: str('reboot-sentinel') as string,
    rebootSentinelCommand: optional('reboot-sentinel-command'),
    periodMs: num('period') as number,
    maxRebootAttempts: positive('max-reboot-attempts') as number,
    rebootDays,
    startTime: str('start-time') as string,
    endTime: str('end-time') as string,
    timeZone,
    maintenanceSchedule: optional('maintenance-schedule'),
    blockingPodSelectors: list('blocking-pod-selector'),
    prometheusUrl: optional('prometheus-url'),
    alertFilterRegexp,
    alertFiringOnly: bool('alert-firing-only'),
    alertFilterMatchOnly: bool('alert-filter-match-only'),
    concurrency: positive('concurrency') as number,
    lockTtlMs,
    lockRenewMs,
    lockReleaseDelayMs: num('lock-release-delay') as number,
    rebootTimeoutMs: num('reboot-timeout') as number,
    maxUnavailablePerPool: positive('max-unavailable-per-pool') as number,
    maxUnavailablePerZone: positive('max-unavailable-per-zone'),
    drainTimeoutMs: num('drain-timeout') as number,
    drainGracePeriodSeconds: num('drain-grace-period') as number,
    drainPodSelector: optional('drain-pod-selector'),
    deleteEmptyDirData: bool('delete-emptydir-data'),
    drainDelayMs: num('drain-delay') as number,
    skipWaitForDeleteTimeoutSeconds: num('skip-wait-for-delete-timeout') as number,
    preferNoScheduleTaint: optional('prefer-no-schedule-taint'),
    forceReboot: bool('force-reboot'),
    preRebootNodeLabels: labels(list('pre-reboot-node-labels'), 'pre-reboot-node-labels'),
    postRebootNodeLabels: labels(list('post-reboot-node-labels'), 'post-reboot-node-labels'),
    rebootDelayMs: num('reboot-delay') as number,
    rebootMethod,
    rebootCommand: str('reboot-command') as string,
    rebootSignal: num('reboot-signal') as number,
    dryRun: bool('dry-run'),
    notifyUrls: list('notify-url'),
    messageTemplates: {
      drain: str('message-template-drain') as string,
      reboot: str('message-template-reboot') as string,
      done: str('message-template-done') as string,
      failed: str('message-template-failed') as string,
    },
    logFormat,
    metricsHost: str('metrics-host') as string,
    metricsPort: num('metrics-port') as number,
  };
}
