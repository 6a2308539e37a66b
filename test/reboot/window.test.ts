import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { dailyWindow, readScheduleFile } from '../../src/reboot/window.js';

const at = (iso: string) => Date.parse(iso);

describe('reboot window (--reboot-days/--start-time/--end-time/--time-zone)', () => {
  const berlin = dailyWindow({ days: [1, 2, 3, 4], startTime: '22:00', endTime: '04:00', timeZone: 'Europe/Berlin' });

  it('opens and closes at the local edges (Berlin is UTC+1 in winter)', () => {
    expect(berlin.openAt(at('2026-01-12T20:59:59Z'))).toBe(false); // Mon 21:59:59 local
    expect(berlin.openAt(at('2026-01-12T21:00:00Z'))).toBe(true); // Mon 22:00 local
    expect(berlin.openAt(at('2026-01-13T02:59:59Z'))).toBe(true); // Tue 03:59:59, still Monday's window
    expect(berlin.openAt(at('2026-01-13T03:00:00Z'))).toBe(false); // Tue 04:00
  });

  it('a window past midnight belongs to the day it started on', () => {
    // Friday 01:00 local is Thursday's window; Saturday 01:00 would be Friday's, which is not listed.
    expect(berlin.openAt(at('2026-01-16T00:00:00Z'))).toBe(true);
    expect(berlin.openAt(at('2026-01-17T00:00:00Z'))).toBe(false);
    // Monday 01:00 would be Sunday's window: closed.
    expect(berlin.openAt(at('2026-01-12T00:00:00Z'))).toBe(false);
  });

  it('follows daylight saving time: the same local hours shift by an hour in UTC', () => {
    // Summer: UTC+2, so 22:00 local is 20:00 UTC.
    expect(berlin.openAt(at('2026-07-13T20:00:00Z'))).toBe(true);
    expect(berlin.openAt(at('2026-07-13T19:59:00Z'))).toBe(false);
  });

  it('opens at 03:00 on the night 02:00-03:00 does not exist (spring forward)', () => {
    const w = dailyWindow({ days: [0], startTime: '02:30', endTime: '05:00', timeZone: 'Europe/Berlin' });
    // 2026-03-29: 01:59:59 CET is 00:59:59Z; the next second is 03:00 CEST.
    expect(w.openAt(at('2026-03-29T00:59:59Z'))).toBe(false);
    expect(w.openAt(at('2026-03-29T01:00:00Z'))).toBe(true);
    expect(w.openAt(at('2026-03-29T02:59:59Z'))).toBe(true); // 04:59:59 CEST
    expect(w.openAt(at('2026-03-29T03:00:00Z'))).toBe(false);
  });

  it('is open during both passes of the repeated hour (fall back)', () => {
    const w = dailyWindow({ days: [0], startTime: '02:00', endTime: '02:30', timeZone: 'Europe/Berlin' });
    // 2026-10-25: 02:15 happens at 00:15Z (CEST) and again at 01:15Z (CET).
    expect(w.openAt(at('2026-10-25T00:15:00Z'))).toBe(true);
    expect(w.openAt(at('2026-10-25T01:15:00Z'))).toBe(true);
    expect(w.openAt(at('2026-10-25T00:45:00Z'))).toBe(false);
  });

  it('a start equal to the end is the whole day; openedAt finds the start', () => {
    const all = dailyWindow({ days: [3], startTime: '0:00', endTime: '0:00', timeZone: 'UTC' });
    expect(all.openAt(at('2026-03-04T23:59:59Z'))).toBe(true);
    expect(all.openAt(at('2026-03-05T00:00:00Z'))).toBe(false);
    expect(berlin.openedAt(at('2026-01-13T01:30:00Z'))).toBe(at('2026-01-12T21:00:00Z'));
    expect(berlin.openedAt(at('2026-01-13T12:00:00Z'))).toBeUndefined();
  });

  it('kured’s default end 23:59:59 leaves the last second of the day closed', () => {
    const kured = dailyWindow({ days: [3], startTime: '0:00', endTime: '23:59:59', timeZone: 'UTC' });
    expect(kured.openAt(at('2026-03-04T23:59:58Z'))).toBe(true);
    expect(kured.openAt(at('2026-03-04T23:59:59Z'))).toBe(false);
  });
});

describe('--maintenance-schedule FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksguard-schedule-'));
  const file = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };

  it('reads an az maintenanceconfiguration (weekly, utcOffset, notAllowedDates)', () => {
    const w = readScheduleFile(
      file('weekly.json', {
        name: 'aksManagedNodeOSUpgradeSchedule',
        properties: {
          maintenanceWindow: {
            schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Saturday' } },
            durationHours: 4,
            startTime: '01:00',
            utcOffset: '+02:00',
            notAllowedDates: [{ start: '2026-03-14', end: '2026-03-14' }],
          },
        },
      }),
    );
    expect(w.openAt(at('2026-03-06T23:00:00Z'))).toBe(true); // Sat 01:00 +02:00
    expect(w.openAt(at('2026-03-07T02:59:59Z'))).toBe(true);
    expect(w.openAt(at('2026-03-07T03:00:00Z'))).toBe(false);
    expect(w.openAt(at('2026-03-13T23:30:00Z'))).toBe(false); // not allowed that Saturday
    expect(w.openedAt(at('2026-03-07T01:00:00Z'))).toBe(at('2026-03-06T23:00:00Z'));
  });

  it('reads a bare maintenanceWindow (relativeMonthly)', () => {
    const w = readScheduleFile(
      file('monthly.json', {
        schedule: { relativeMonthly: { intervalMonths: 1, weekIndex: 'Second', dayOfWeek: 'Tuesday' } },
        durationHours: 6,
        startTime: '20:00',
        utcOffset: '+00:00',
      }),
    );
    expect(w.openAt(at('2026-03-10T21:00:00Z'))).toBe(true); // second Tuesday of March 2026
    expect(w.openAt(at('2026-03-03T21:00:00Z'))).toBe(false);
  });

  it('names the file when it cannot be read', () => {
    expect(() => readScheduleFile(join(dir, 'missing.json'))).toThrow(InputError);
    expect(() => readScheduleFile(file('bad.json', '{'))).toThrow(/not valid JSON/);
    expect(() => readScheduleFile(file('empty.json', { durationHours: 4 }))).toThrow(/cannot be read/);
  });
});
