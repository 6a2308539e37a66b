import { defineRule } from '../../model/rule.js';
import { nodeImages } from '../util/node-images.js';
import { judge } from '../util/report.js';
import { dueWindowsPatch, imageBuild, isBehind, isoDate } from '../util/versions.js';

export default defineRule({
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
  check(snapshot, { now }) {
    return nodeImages(snapshot).flatMap(({ pool, version: current, windows, latest, node }) => {
      if (windows !== true) return [];
      const image = current.text;
      if (!image) return [];
      const named = node ? `${pool} (node ${node})` : pool;
      if (latest) {
        return judge(
          current,
          isBehind(image, latest),
          `Windows pool ${named} runs node image ${image}; ${latest} is available`,
        );
      }
      const built = imageBuild(image);
      if (!built) return [];
      const due = dueWindowsPatch(now);
      return judge(
        current,
        built.date < due,
        `Windows pool ${named} runs node image ${image}, built ${isoDate(built.date)}, before the ${isoDate(due)} Patch Tuesday release`,
      );
    });
  },
});
