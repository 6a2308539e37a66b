import { or } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { pools } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'node-access/node-public-ip',
    title: 'Node pool gives nodes public IP addresses',
    severity: 'high',
    seed: 'Nodes are deployed into a private virtual network subnet, with no public IP addresses assigned.',
    refs: { checkov: ['CKV_AZURE_143'], kubescape: ['C-0248'] },
    remediation: {
      az: 'az aks nodepool add -g <rg> --cluster-name <cluster> -n <new-pool> (without --enable-node-public-ip), move workloads, then az aks nodepool delete -n <pool>',
      terraform: 'node_public_ip_enabled = false (3.x: enable_node_public_ip)',
    },
  },
  check(snapshot) {
    return pools(snapshot).flatMap(({ pool }) => {
      const enabled = pool.settings.get('enableNodePublicIP');
      const prefix = pool.settings.get('nodePublicIPPrefixID');
      const byPrefix = enabled.isTrue() !== true && prefix.text !== undefined;
      return verdict(
        or(
          enabled.isTrue(),
          prefix.test((v) => typeof v === 'string' && v !== ''),
        ),
        byPrefix ? prefix : enabled,
        `pool ${pool.name} gives every node a public IP address (${byPrefix ? 'nodePublicIPPrefixID set' : 'enableNodePublicIP: true'}): nodes are reachable from the internet`,
        [enabled, prefix],
      );
    });
  },
});
