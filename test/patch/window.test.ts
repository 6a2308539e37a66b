import { describe, expect, it } from 'vitest';
import { Settings } from '../../src/model/settings.js';
import { isOpen, nextWindow, parseWindowFlag, windowOf } from '../../src/patch/window.js';

const owner = { target: 't', resource: { kind: 'MaintenanceConfiguration', name: 'm', namespace: null } };
const doc = { file: 'm.json', locate: () => undefined };
const config = (maintenanceWindow: unknown) => new Settings({ maintenanceWindow }, [], doc, owner);
const read = (maintenanceWindow: unknown) => {
  const window = windowOf(config(maintenanceWindow), 'aksManagedNodeOSUpgradeSchedule');
  if (typeof window === 'string') throw new Error(window);
  return window;
};
const iso = (d: Date | undefined) => d?.toISOString();

describe('maintenance windows', () => {
  it('daily every 5 days from the start date, in the schedule’s UTC offset (REST example)', () => {
    const window = read({
      schedule: { daily: { intervalDays: 5 } },
      durationHours: 10,
      startDate: '2023-01-01',
      startTime: '13:30',
      utcOffset: '-07:00',
    });
    // 2026-11-27 is 1426 days after 2023-01-01 (not a multiple of 5); 2026-12-01 is 1430 days after.
    const next = nextWindow(window, new Date('2026-11-28T00:00:00Z'));
    expect(iso(next?.start)).toBe('2026-12-01T20:30:00.000Z');
    expect(iso(next?.end)).toBe('2026-12-02T06:30:00.000Z');
    expect(isOpen(next, new Date('2026-12-02T06:00:00Z'))).toBe(true);
    expect(isOpen(next, new Date('2026-12-02T06:30:00Z'))).toBe(false);
  });

  it('weekly on a day, and a window already open is the one returned', () => {
    const window = read({
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Saturday' } },
      durationHours: 4,
      startTime: '22:00',
      utcOffset: '+00:00',
    });
    const next = nextWindow(window, new Date('2026-11-29T01:00:00Z'));
    expect(iso(next?.start)).toBe('2026-11-28T22:00:00.000Z');
    expect(isOpen(next, new Date('2026-11-29T01:00:00Z'))).toBe(true);
  });

  it('absolute monthly skips notAllowedDates and clamps day 31 to the month’s end', () => {
    const window = read({
      schedule: { absoluteMonthly: { intervalMonths: 1, dayOfMonth: 31 } },
      durationHours: 5,
      startTime: '08:30',
      utcOffset: '+00:00',
      notAllowedDates: [{ start: '2026-11-30', end: '2026-12-31' }],
    });
    expect(iso(nextWindow(window, new Date('2026-11-28T00:00:00Z'))?.start)).toBe('2027-01-31T08:30:00.000Z');
    expect(iso(nextWindow(window, new Date('2027-02-01T00:00:00Z'))?.start)).toBe('2027-02-28T08:30:00.000Z');
  });

  it('relative monthly: the last Sunday, and the first Monday', () => {
    const last = read({
      schedule: { relativeMonthly: { intervalMonths: 1, weekIndex: 'Last', dayOfWeek: 'Sunday' } },
      durationHours: 4,
      startTime: '01:00',
      utcOffset: '+00:00',
    });
    expect(iso(nextWindow(last, new Date('2026-11-01T00:00:00Z'))?.start)).toBe('2026-11-29T01:00:00.000Z');
    const first = read({
      schedule: { relativeMonthly: { intervalMonths: 1, weekIndex: 'First', dayOfWeek: 'Monday' } },
      durationHours: 4,
      startTime: '01:00',
      utcOffset: '+00:00',
    });
    expect(iso(nextWindow(first, new Date('2026-11-28T00:00:00Z'))?.start)).toBe('2026-12-07T01:00:00.000Z');
  });

  it('says why a schedule it cannot read is unusable', () => {
    expect(windowOf(config({ schedule: { daily: { intervalDays: 1 } } }), 'x')).toMatch(/cannot be read/);
  });

  it('--window: days, start, hours and offset', () => {
    const window = parseWindowFlag('Sat,Sun 01:00 4h +01:00');
    if (typeof window === 'string') throw new Error(window);
    expect(iso(nextWindow(window, new Date('2026-11-27T12:00:00Z'))?.start)).toBe('2026-11-28T00:00:00.000Z');
    expect(parseWindowFlag('someday 01:00 4h')).toMatch(/--window must look like/);
    expect(parseWindowFlag('daily 25:00 4h')).toMatch(/--window must look like/);
    const daily = parseWindowFlag('daily 22:00 6h');
    if (typeof daily === 'string') throw new Error(daily);
    expect(iso(nextWindow(daily, new Date('2026-11-28T23:00:00Z'))?.start)).toBe('2026-11-28T22:00:00.000Z');
  });
});
