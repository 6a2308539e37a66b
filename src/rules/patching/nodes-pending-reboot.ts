import { defineRule } from '../../model/rule.js';
import { channelIs, configured, nodeOsChannel } from '../util/cluster.js';
import { pendingReboot } from '../util/reboot.js';
import { problem, verdict, within } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'patching/nodes-pending-reboot',
    title: 'Node has waited too long for a reboot',
    severity: 'high',
    options: ['rebootGraceHours'],
    seed: 'Until a patched node reboots, the vulnerable kernel and libraries keep running.',
    refs: {},
    remediation: {
      kubectl:
        'aksguard nodes (see which nodes wait), then let the reboot coordinator run or: kubectl drain <node> --ignore-daemonsets && az vmss restart …',
      az: 'az aks nodepool upgrade -g <rg> --cluster-name <cluster> -n <pool> --node-image-only (replaces the nodes)',
    },
  },
  check(snapshot, { now, options }) {
    const graceMs = options.rebootGraceHours * 3_600_000;
    const withNodes = snapshot.clusters.flatMap((cluster) =>
      (cluster.kubernetes?.nodes ?? []).flatMap((node) => {
        const pending = pendingReboot(node);
        if (!pending || now.getTime() - pending.since.getTime() <= graceMs) return [];
        const { since, annotation } = pending;
        const hours = Math.floor((now.getTime() - since.getTime()) / 3_600_000);
        return [
          problem(
            // The annotation that says the node waits: where the report points, not the node's first line.
            within(node.anchor, 'metadata', 'annotations', annotation),
            `node ${node.name} has needed a reboot since ${since.toISOString()} (${hours} h, grace ${options.rebootGraceHours} h)`,
          ),
        ];
      }),
    );
    const withoutNodes = configured(snapshot)
      .filter(({ cluster }) => cluster.kubernetes === undefined)
      .flatMap(({ cluster, settings }) => {
        const channel = nodeOsChannel(cluster, settings);
        return verdict(
          channelIs(channel, 'Unmanaged') === false ? false : 'unknown',
          channel.fact,
          'nodes wait for a reboot',
          'the input has no node objects to read reboot annotations from (scan with --kubeconfig, or add `kubectl get nodes -o json`)',
        );
      });
    return [...withNodes, ...withoutNodes];
  },
});
