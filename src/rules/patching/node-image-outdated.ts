import { defineRule } from '../../model/rule.js';
import { nodeImages } from '../util/node-images.js';
import { judge } from '../util/report.js';
import { daysBetween, imageBuild, isBehind, isoDate } from '../util/versions.js';

export default defineRule({
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
  check(snapshot, { now, options }) {
    return nodeImages(snapshot).flatMap(({ pool, version: current, windows, latest, node }) => {
      if (windows !== false) return [];
      const image = current.text;
      if (!image) return [];
      const named = node ? `${pool} (node ${node})` : pool;
      if (latest) {
        return judge(
          current,
          isBehind(image, latest),
          `pool ${named} runs node image ${image}; ${latest} is available`,
        );
      }
      const built = imageBuild(image);
      if (!built) return [];
      const age = daysBetween(built.date, now);
      return judge(
        current,
        age > options.nodeImageMaxAgeDays,
        `pool ${named} runs node image ${image}, built ${isoDate(built.date)} (${age} days before ${isoDate(now)}; images older than ${options.nodeImageMaxAgeDays} days miss current fixes)`,
      );
    });
  },
});
