import type { Fact } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';
import { compareMinor, formatMinor, isoDate, oldestSupported, parseMinor } from '../util/versions.js';

export default defineRule({
  meta: {
    id: 'control-plane/kubernetes-version-unsupported',
    title: 'Kubernetes version is out of AKS support',
    severity: 'high',
    seed: 'Only supported Kubernetes minors receive security patches.',
    refs: { psrule: ['Azure.AKS.Version'] },
    remediation: {
      az: 'az aks upgrade -g <rg> -n <cluster> --kubernetes-version <supported-version>',
      terraform: 'kubernetes_version = "<supported-version>" (and orchestrator_version on each pool)',
    },
  },
  check(snapshot, { now, options }) {
    return configured(snapshot).flatMap(({ cluster, settings }) => {
      const lts = settings.get('supportPlan').isOneOf('AKSLongTermSupport') === true;
      const oldest = oldestSupported(options.kubernetesVersions, now, lts);
      const judgeVersion = (fact: Fact, what: string) => {
        if (!oldest) return [];
        const fails = fact.test((v) => {
          const minor = typeof v === 'string' ? parseMinor(v) : undefined;
          return minor !== undefined && compareMinor(minor, oldest) < 0;
        });
        const support = `the oldest minor AKS supports${lts ? ' under Long-Term Support' : ''} on ${isoDate(now)}`;
        return judge(
          fact,
          fails,
          `${what} runs Kubernetes ${fact.shown}, older than ${formatMinor(oldest)}, ${support}`,
        );
      };
      return [
        ...judgeVersion(settings.get('kubernetesVersion'), `cluster ${cluster.name}`),
        ...cluster.pools.flatMap((pool) => judgeVersion(pool.settings.get('orchestratorVersion'), `pool ${pool.name}`)),
      ];
    });
  },
});
