import type { PoolPlan, WindowPlan } from './plan.js';

/** The plan as JSON for tools: one entry per pool, in the order they should be upgraded. */
export function planJson(plan: readonly PoolPlan[], asOf: Date): string {
  const pools = plan.map((p, i) => ({
    rank: i + 1,
    ...p,
    window: {
      source: p.window.source,
      anyTime: p.window.anyTime,
      openNow: p.window.openNow,
      nextStart: p.window.next?.start.toISOString() ?? null,
      nextEnd: p.window.next?.end.toISOString() ?? null,
      note: p.window.note ?? null,
    },
  }));
  return `${JSON.stringify({ schemaVersion: 1, asOf: asOf.toISOString(), pools }, null, 2)}\n`;
}

/** The plan as a person reads it: one block per pool, most urgent first, and how to apply it. */
export function planText(plan: readonly PoolPlan[]): string {
  if (plan.length === 0) return 'No node pools in the input.\n';
  const blocks = plan.map((p, i) => {
    const image = p.currentImage
      ? `${p.currentImage}${p.latestImage && p.latestImage !== p.currentImage ? ` → ${p.latestImage}` : ''}`
      : 'unknown';
    const age = [
      p.imageDate && `built ${p.imageDate}, ${p.imageAgeDays} days old`,
      p.releasesBehind ? `${p.releasesBehind} release${p.releasesBehind === 1 ? '' : 's'} behind` : undefined,
    ].filter(Boolean);
    return [
      `${i + 1}. ${p.cluster}/${p.pool}  ${p.os}  ${p.action.toUpperCase()}`,
      `   image    ${image}${age.length ? ` (${age.join('; ')})` : ''}`,
      `   channel  ${p.channel}`,
      `   window   ${describeWindow(p.window)}`,
      `   why      ${p.reason}`,
    ].join('\n');
  });
  const upgrades = plan.filter((p) => p.action === 'upgrade').length;
  return `${blocks.join('\n\n')}\n\n${upgrades} of ${plan.length} pool(s) need a node image upgrade.\n`;
}

export function describeWindow(window: WindowPlan): string {
  if (window.anyTime) return window.note ?? 'any time';
  if (!window.next) return window.note ?? 'none';
  const range = `${utc(window.next.start)} – ${utc(window.next.end)}`;
  return `${window.openNow ? 'open now' : 'next'} ${range} (${window.source})`;
}

const utc = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
