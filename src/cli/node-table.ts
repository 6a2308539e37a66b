import type { NodeStatus } from './node-status.js';

const COLUMNS: readonly { readonly title: string; readonly value: (s: NodeStatus) => string }[] = [
  { title: 'NODE', value: (s) => s.node },
  { title: 'POOL', value: (s) => s.pool ?? '-' },
  { title: 'OS', value: (s) => s.os ?? '-' },
  { title: 'IMAGE', value: (s) => s.image ?? '-' },
  { title: 'AGE', value: (s) => (s.imageAgeDays === null ? '-' : `${s.imageAgeDays}d`) },
  { title: 'KUBELET', value: (s) => s.kubelet ?? '-' },
  { title: 'STATUS', value: status },
  { title: 'REBOOT NEEDED SINCE', value: (s) => s.rebootRequiredSince?.slice(0, 16).replace('T', ' ') ?? '-' },
  { title: 'COORDINATOR', value: (s) => s.coordinator },
  { title: 'BREAKS', value: (s) => s.problems.map((id) => id.replace(/^patching\//, '')).join(', ') || '-' },
];

function status(s: NodeStatus): string {
  const ready = s.ready === null ? 'Unknown' : s.ready ? 'Ready' : 'NotReady';
  return s.cordoned ? `${ready},SchedulingDisabled` : ready;
}

/** A kubectl-style table per cluster, worst nodes first, and a closing summary line. */
export function nodeTable(statuses: readonly NodeStatus[]): string {
  const lines: string[] = [];
  for (const cluster of [...new Set(statuses.map((s) => s.target))]) {
    const rows = statuses.filter((s) => s.target === cluster);
    const cells = [COLUMNS.map((c) => c.title), ...rows.map((row) => COLUMNS.map((c) => c.value(row)))];
    const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => (line[i] as string).length)));
    lines.push(`${rows[0]?.cluster}  (${cluster})`);
    for (const line of cells)
      lines.push(
        line
          .map((cell, i) => cell.padEnd(widths[i] as number))
          .join('  ')
          .trimEnd(),
      );
    lines.push('');
  }
  const failing = statuses.filter((s) => s.problems.length > 0).length;
  lines.push(`${statuses.length} node${statuses.length === 1 ? '' : 's'}, ${failing} breaking a patching rule`);
  return `${lines.join('\n')}\n`;
}

/** The JSON document `aksguard nodes --format json` prints. */
export function nodeJson(statuses: readonly NodeStatus[], asOf: Date): string {
  const failing = statuses.filter((s) => s.problems.length > 0).length;
  const document = {
    schemaVersion: 1,
    asOf: asOf.toISOString(),
    nodes: statuses,
    summary: { nodes: statuses.length, failing },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
