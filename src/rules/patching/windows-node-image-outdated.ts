import { nodeImageRule } from '../util/node-image-rule.js';
import { dueWindowsPatch, isoDate } from '../util/versions.js';

export default nodeImageRule({
  meta: {
    id: 'patching/windows-node-image-outdated',
    title: 'Windows node image misses Patch Tuesday fixes',
    severity: 'high',
    seed: 'Windows Update never runs on AKS Windows nodes: a node image upgrade is the only way they get security fixes.',
    refs: {},
    remediation: {
      az: 'az aks nodepool upgrade -g <rg> --cluster-name <cluster> -n <pool> --node-image-only',
      terraform: 'node_os_upgrade_channel = "NodeImage" keeps Windows images current (3.x: node_os_channel_upgrade)',
    },
  },
  windows: true,
  byBuildDate(built, { now }) {
    const due = dueWindowsPatch(now);
    return { outdated: built < due, account: `, before the ${isoDate(due)} Patch Tuesday release` };
  },
});
