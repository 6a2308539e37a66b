/** Kubernetes and AKS node image version arithmetic. */
import type { VersionTable } from '../../model/rule.js';

export interface Minor {
  readonly major: number;
  readonly minor: number;
}

/** `1.30`, `1.30.4`, `v1.30.4` → {1, 30}. */
export function parseMinor(version: string): Minor | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export const compareMinor = (a: Minor, b: Minor): number => a.major - b.major || a.minor - b.minor;
export const formatMinor = (m: Minor): string => `${m.major}.${m.minor}`;

/** A node image version's build date and patch, e.g. `AKSUbuntu-2204gen2containerd-202411.12.0`. */
export interface ImageBuild {
  readonly date: Date;
  readonly patch: number;
}

/**
 * Reads the build date out of the image version formats AKS has used:
 * `…-YYYYMM.DD.patch` (current Linux), `…-YYYY.MM.DD` and `…:YYYY.MM.DD` (older Linux) and
 * `AKSWindows-…-build.rev.yyMMdd` (Windows).
 */
export function imageBuild(version: string): ImageBuild | undefined {
  let match = /[-:](\d{4})(\d{2})\.(\d{2})\.(\d+)$/.exec(version);
  if (match) return build(Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]));
  match = /[-:](\d{4})\.(\d{2})\.(\d{2})$/.exec(version);
  if (match) return build(Number(match[1]), Number(match[2]), Number(match[3]), 0);
  match = /^AKSWindows-.*-\d+\.\d+\.(\d{2})(\d{2})(\d{2})$/i.exec(version);
  if (match) return build(2000 + Number(match[1]), Number(match[2]), Number(match[3]), 0);
  return undefined;
}

function build(year: number, month: number, day: number, patch: number): ImageBuild | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { date: new Date(Date.UTC(year, month - 1, day)), patch };
}

/** Whether `current` is an older image than `latest` (by build date, then patch; by text when undated). */
export function isBehind(current: string, latest: string): boolean {
  const a = imageBuild(current);
  const b = imageBuild(latest);
  if (!a || !b) return current.toLowerCase() !== latest.toLowerCase();
  return a.date.getTime() < b.date.getTime() || (a.date.getTime() === b.date.getTime() && a.patch < b.patch);
}

const DAY = 86_400_000;

export const daysBetween = (from: Date, to: Date): number => Math.floor((to.getTime() - from.getTime()) / DAY);

/** The second Tuesday of a month (UTC), when Windows security updates ship. */
export function patchTuesday(year: number, month: number): Date {
  const first = new Date(Date.UTC(year, month, 1));
  const firstTuesday = 1 + ((2 - first.getUTCDay() + 7) % 7);
  return new Date(Date.UTC(year, month, firstTuesday + 7));
}

/** The most recent Patch Tuesday at least `graceDays` before `now`: images built before it lack its fixes. */
export function dueWindowsPatch(now: Date, graceDays = 14): Date {
  const cutoff = now.getTime() - graceDays * DAY;
  let year = now.getUTCFullYear();
  let month = now.getUTCMonth();
  for (;;) {
    const tuesday = patchTuesday(year, month);
    if (tuesday.getTime() <= cutoff) return tuesday;
    month -= 1;
    if (month < 0) {
      month = 11;
      year -= 1;
    }
  }
}

export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/** The oldest minor still supported at `now` (LTS dates for clusters on the LTS plan). */
export function oldestSupported(table: VersionTable, now: Date, lts: boolean): Minor | undefined {
  const today = isoDate(now);
  const minors = (list: VersionTable['versions']) =>
    list
      .map((v) => parseMinor(v.minor))
      .filter((m): m is Minor => m !== undefined)
      .sort(compareMinor);
  const supported = minors(
    table.versions.filter((v) => (lts ? (v.ltsEndOfLife ?? v.endOfLife) : v.endOfLife) >= today),
  );
  return supported[0] ?? minors(table.versions).at(-1);
}
