import type { Settings } from '../model/settings.js';

/** When node images may be replaced: `aksManagedNodeOSUpgradeSchedule` or `--window`. */
export interface MaintenanceWindow {
  readonly schedule: Schedule;
  /** Minutes after local midnight. */
  readonly startMinute: number;
  readonly durationHours: number;
  /** Local time minus UTC, in minutes. */
  readonly utcOffsetMinutes: number;
  /** Local dates (YYYY-MM-DD) the schedule starts and ends; intervals count from `startDate`. */
  readonly startDate: string | undefined;
  readonly endDate: string | undefined;
  /** Local date ranges (inclusive) without windows. */
  readonly notAllowed: readonly { readonly start: string; readonly end: string }[];
  /** Where it came from, for the plan. */
  readonly source: string;
}

export type Schedule =
  | { readonly kind: 'daily'; readonly intervalDays: number }
  | { readonly kind: 'weekly'; readonly intervalWeeks: number; readonly days: readonly number[] }
  | { readonly kind: 'absoluteMonthly'; readonly intervalMonths: number; readonly dayOfMonth: number }
  | {
      readonly kind: 'relativeMonthly';
      readonly intervalMonths: number;
      /** 1–4, or 5 for `Last`. */
      readonly week: number;
      readonly dayOfWeek: number;
    };

export interface Occurrence {
  readonly start: Date;
  readonly end: Date;
}

export const NODE_OS_SCHEDULE = 'aksManagedNodeOSUpgradeSchedule';
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: 5 };
const DAY_MS = 86_400_000;
/** Far enough for a quarterly schedule with a long blackout. */
const SEARCH_DAYS = 800;

/**
 * The schedule of a maintenance configuration (ARM `maintenanceWindow`), or a sentence saying why it cannot be
 * read (e.g. an unresolved template parameter).
 */
export function windowOf(settings: Settings, source: string): MaintenanceWindow | string {
  const window = settings.section('maintenanceWindow');
  const schedule = window.section('schedule');
  const number = (s: Settings, key: string, fallback: number) => {
    const value = s.get(key).value;
    return typeof value === 'number' ? value : fallback;
  };
  const day = (s: Settings) => DAYS.indexOf(String(s.get('dayOfWeek').value ?? '').toLowerCase());
  let parsed: Schedule | undefined;
  if (schedule.get('daily').value !== undefined) {
    parsed = { kind: 'daily', intervalDays: number(schedule.section('daily'), 'intervalDays', 1) };
  } else if (schedule.get('weekly').value !== undefined) {
    const weekly = schedule.section('weekly');
    parsed = { kind: 'weekly', intervalWeeks: number(weekly, 'intervalWeeks', 1), days: [day(weekly)] };
  } else if (schedule.get('absoluteMonthly').value !== undefined) {
    const monthly = schedule.section('absoluteMonthly');
    parsed = {
      kind: 'absoluteMonthly',
      intervalMonths: number(monthly, 'intervalMonths', 1),
      dayOfMonth: number(monthly, 'dayOfMonth', 1),
    };
  } else if (schedule.get('relativeMonthly').value !== undefined) {
    const monthly = schedule.section('relativeMonthly');
    parsed = {
      kind: 'relativeMonthly',
      intervalMonths: number(monthly, 'intervalMonths', 1),
      week: WEEKS[String(monthly.get('weekIndex').value ?? '').toLowerCase()] ?? 0,
      dayOfWeek: day(monthly),
    };
  }
  const startTime = clock(String(window.get('startTime').value ?? ''));
  const offset = utcOffset(String(window.get('utcOffset').value ?? '+00:00'));
  const duration = window.get('durationHours').value;
  if (!parsed || startTime === undefined || offset === undefined || typeof duration !== 'number' || !valid(parsed)) {
    return `the ${source} maintenance window cannot be read (schedule, startTime, durationHours or utcOffset missing or not literal)`;
  }
  const dates = (key: string) => (window.get(key).value as unknown[] | undefined) ?? [];
  return {
    schedule: parsed,
    startMinute: startTime,
    durationHours: duration,
    utcOffsetMinutes: offset,
    startDate: dateText(window.get('startDate').value),
    endDate: dateText(window.get('endDate').value),
    notAllowed: (Array.isArray(dates('notAllowedDates')) ? dates('notAllowedDates') : []).flatMap((entry) => {
      const range = entry as { start?: unknown; end?: unknown };
      const start = dateText(range?.start);
      const end = dateText(range?.end);
      return start && end ? [{ start, end }] : [];
    }),
    source,
  };
}

/**
 * `--window "Sat,Sun 01:00 4h"`, `"daily 22:00 6h +02:00"`: days (or `daily`), a local start time, a duration in
 * hours and an optional UTC offset. Returns a sentence saying what is wrong when it does not parse.
 */
export function parseWindowFlag(text: string): MaintenanceWindow | string {
  const match = /^\s*(\S+)\s+(\d{1,2}:\d{2})\s+(\d+(?:\.\d+)?)h\s*([+-]\d{2}:\d{2})?\s*$/i.exec(text);
  const problem = `--window must look like "Sat,Sun 01:00 4h" or "daily 22:00 6h +02:00" (got '${text}')`;
  if (!match) return problem;
  const [, daysText, time, hours, offsetText] = match as unknown as [string, string, string, string, string?];
  const days = daysText.toLowerCase() === 'daily' ? undefined : daysText.split(',').map(dayIndex);
  const startMinute = clock(time);
  const offset = utcOffset(offsetText ?? '+00:00');
  const durationHours = Number(hours);
  if (days?.some((d) => d < 0) || startMinute === undefined || offset === undefined || durationHours <= 0)
    return problem;
  return {
    schedule: days ? { kind: 'weekly', intervalWeeks: 1, days } : { kind: 'daily', intervalDays: 1 },
    startMinute,
    durationHours,
    utcOffsetMinutes: offset,
    startDate: undefined,
    endDate: undefined,
    notAllowed: [],
    source: '--window',
  };
}

/** The window open at `now`, else the next one; undefined when the schedule has no more. */
export function nextWindow(window: MaintenanceWindow, now: Date): Occurrence | undefined {
  const localNow = now.getTime() + window.utcOffsetMinutes * 60_000;
  const firstDay = Math.floor(localNow / DAY_MS) - Math.ceil(window.durationHours / 24);
  for (let day = firstDay; day < firstDay + SEARCH_DAYS; day++) {
    if (!occursOn(window, day)) continue;
    const start = day * DAY_MS + window.startMinute * 60_000 - window.utcOffsetMinutes * 60_000;
    const end = start + window.durationHours * 3_600_000;
    if (end > now.getTime()) return { start: new Date(start), end: new Date(end) };
  }
  return undefined;
}

export const isOpen = (occurrence: Occurrence | undefined, now: Date): boolean =>
  occurrence !== undefined && occurrence.start.getTime() <= now.getTime() && now.getTime() < occurrence.end.getTime();

/** Whether the schedule has a window starting on this local day (days since 1970-01-01). */
function occursOn(window: MaintenanceWindow, day: number): boolean {
  const date = new Date(day * DAY_MS);
  const text = date.toISOString().slice(0, 10);
  if (window.startDate && text < window.startDate) return false;
  if (window.endDate && text > window.endDate) return false;
  if (window.notAllowed.some((r) => r.start <= text && text <= r.end)) return false;
  const anchor = window.startDate ? Math.floor(Date.parse(window.startDate) / DAY_MS) : 0;
  const s = window.schedule;
  switch (s.kind) {
    case 'daily':
      return (day - anchor) % s.intervalDays === 0;
    case 'weekly': {
      const weekStart = (d: number) => d - new Date(d * DAY_MS).getUTCDay();
      const weeks = Math.round((weekStart(day) - weekStart(anchor)) / 7);
      return s.days.includes(date.getUTCDay()) && weeks % s.intervalWeeks === 0;
    }
    case 'absoluteMonthly': {
      const last = lastDayOfMonth(date);
      return monthsFrom(anchor, date) % s.intervalMonths === 0 && date.getUTCDate() === Math.min(s.dayOfMonth, last);
    }
    case 'relativeMonthly': {
      if (date.getUTCDay() !== s.dayOfWeek || monthsFrom(anchor, date) % s.intervalMonths !== 0) return false;
      const week = Math.ceil(date.getUTCDate() / 7);
      return s.week === 5 ? date.getUTCDate() + 7 > lastDayOfMonth(date) : week === s.week;
    }
  }
}

function monthsFrom(anchorDay: number, date: Date): number {
  const anchor = new Date(anchorDay * DAY_MS);
  const months = (date.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + date.getUTCMonth() - anchor.getUTCMonth();
  return ((months % 12_000) + 12_000) % 12_000;
}

const lastDayOfMonth = (date: Date): number =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();

function valid(schedule: Schedule): boolean {
  switch (schedule.kind) {
    case 'daily':
      return schedule.intervalDays >= 1;
    case 'weekly':
      return schedule.intervalWeeks >= 1 && schedule.days.every((d) => d >= 0);
    case 'absoluteMonthly':
      return schedule.intervalMonths >= 1 && schedule.dayOfMonth >= 1 && schedule.dayOfMonth <= 31;
    case 'relativeMonthly':
      return schedule.intervalMonths >= 1 && schedule.week >= 1 && schedule.dayOfWeek >= 0;
  }
}

const dayIndex = (text: string): number => DAYS.findIndex((d) => d.startsWith(text.toLowerCase()) && text.length >= 2);

/** `13:30` → minutes after midnight. */
function clock(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** `+05:30` / `-07:00` → minutes. */
function utcOffset(text: string): number | undefined {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function dateText(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}
