import { readFileSync } from 'node:fs';
import { InputError } from '../model/errors.js';
import { unlocatedDoc } from '../model/provenance.js';
import { isRecord, Settings } from '../model/settings.js';
import { isOpen, type MaintenanceWindow, nextWindow, windowOf } from '../patch/window.js';
import { timeOfDay } from './flags.js';

/** When reboots may happen: `openAt(now)` says whether now is inside, `openedAt(now)` since when (for retries). */
export interface RebootWindow {
  openAt(now: number): boolean;
  /** Start of the open stretch containing `now` (ms), or undefined when closed. */
  openedAt(now: number): number | undefined;
  describe(): string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** Wall-clock weekday and seconds after midnight of an instant in an IANA time zone (DST included, via Intl). */
export function localTime(instant: number, timeZone: string): { day: number; seconds: number } {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    day: WEEKDAYS.indexOf(part('weekday')),
    seconds: Number(part('hour')) * 3600 + Number(part('minute')) * 60 + Number(part('second')),
  };
}

/**
 * kured's window: on the listed days, from start to end local time. An end before the start runs past midnight
 * and belongs to the day it started on; an end equal to the start means the whole day. Local wall-clock times, so a 02:30 start on the night clocks spring past
 * it opens at 03:00, and the repeated hour in autumn is inside the window both times.
 */
export function dailyWindow(options: {
  readonly days: readonly number[];
  readonly startTime: string;
  readonly endTime: string;
  readonly timeZone: string;
}): RebootWindow {
  const start = timeOfDay(options.startTime) as number;
  const end = timeOfDay(options.endTime) as number;
  const days = new Set(options.days);
  const openAt = (now: number) => {
    const { day, seconds } = localTime(now, options.timeZone);
    if (start === end) return days.has(day);
    if (start < end) return days.has(day) && seconds >= start && seconds < end;
    if (seconds >= start) return days.has(day);
    return seconds < end && days.has((day + 6) % 7);
  };
  return {
    openAt,
    openedAt: (now) => {
      if (!openAt(now)) return undefined;
      // Step back a minute at a time to the edge (checking the second before each minute, where kured's
      // 23:59:59 end leaves its gap). A window open around the clock counts as opening once a day.
      let at = now - (now % 60_000);
      while (now - at < 86_400_000 && openAt(at - 1000) && openAt(at - 60_000)) at -= 60_000;
      return at;
    },
    describe: () =>
      `${options.days.map((d) => WEEKDAYS[d]).join(',')} ${options.startTime}-${options.endTime} ${options.timeZone}`,
  };
}

/** An AKS maintenance schedule (the `maintenanceWindow` of a maintenance configuration), read by src/patch. */
export function scheduleWindow(window: MaintenanceWindow): RebootWindow {
  const occurrence = (now: number) => {
    const next = nextWindow(window, new Date(now));
    return isOpen(next, new Date(now)) ? next : undefined;
  };
  return {
    openAt: (now) => occurrence(now) !== undefined,
    openedAt: (now) => occurrence(now)?.start.getTime(),
    describe: () => `maintenance schedule ${window.source}`,
  };
}

/**
 * `--maintenance-schedule FILE`: JSON as `az aks maintenanceconfiguration show` prints it, or just its
 * `maintenanceWindow` object (`schedule` with weekly/absoluteMonthly/relativeMonthly, `durationHours`,
 * `utcOffset`, `startTime`, `notAllowedDates`).
 */
export function readScheduleFile(file: string): RebootWindow {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON';
    throw new InputError(file, `${reason} (--maintenance-schedule wants an AKS maintenance window as JSON)`);
  }
  const root = isRecord(value) && isRecord(value.properties) ? value.properties : value;
  const wrapped = isRecord(root) && 'maintenanceWindow' in root ? root : { maintenanceWindow: root };
  const owner = { target: file, resource: { kind: 'MaintenanceConfiguration', name: file, namespace: null } };
  const window = windowOf(new Settings(wrapped, [], unlocatedDoc(file), owner), file);
  if (typeof window === 'string') throw new InputError(file, window);
  return scheduleWindow(window);
}
