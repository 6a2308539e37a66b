import { nodeImageRule } from '../util/node-image-rule.js';
import { daysBetween, isoDate } from '../util/versions.js';

export default nodeImageRule({
  meta: {
    id: 'patching/node-image-outdated',
    title: 'Linux node image is out of date',
    severity: 'medium',
    options: ['nodeImageMaxAgeDays'],
    seed: 'New node images carry the month’s OS and runtime fixes; nodes on an old image run without them.',
    refs: {},
    remediation: {
      az: 'az aks nodepool upgrade -g <rg> --cluster-name <cluster> -n <pool> --node-image-only',
      terraform: 'node_os_upgrade_channel = "NodeImage" keeps images current (3.x: node_os_channel_upgrade)',
    },
  },
  windows: false,
  byBuildDate(built, { now, options }) {
    const age = daysBetween(built, now);
    return {
      outdated: age > options.nodeImageMaxAgeDays,
      account: ` (${age} days before ${isoDate(now)}; images older than ${options.nodeImageMaxAgeDays} days miss current fixes)`,
    };
  },
});
