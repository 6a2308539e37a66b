import { defineRule } from '../../model/rule.js';
import { namespaces } from '../util/namespaces.js';
import { problem, verdict, within } from '../util/report.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export default defineRule({
  meta: {
    id: 'isolation/namespace-without-pod-security',
    title: 'Namespace does not enforce Pod Security',
    severity: 'medium',
    options: ['systemNamespaces'],
    seed: 'Pod Security admission fences workloads in; without an enforce level any pod, privileged included, is admitted.',
    refs: {},
    remediation: {
      kubectl: `kubectl label namespace <namespace> ${ENFORCE}=restricted (or baseline; check first with --dry-run=server)`,
    },
  },
  check(snapshot, { options }) {
    return namespaces(snapshot, options).flatMap((ns) => {
      if (!ns.object) {
        return verdict(
          'unknown',
          ns.anchor,
          `namespace ${ns.name} may lack a ${ENFORCE} label`,
          `the Namespace object of ${ns.name} (with its labels) is not in the input`,
        );
      }
      const level = ns.object.labels[ENFORCE];
      if (level === 'baseline' || level === 'restricted') return [];
      const at = { ...within(ns.object.anchor, 'metadata', 'labels', ENFORCE), owner: ns.anchor.owner };
      const observed = level === undefined ? 'has no' : `sets ${JSON.stringify(level)} as its`;
      return [
        problem(
          at,
          `namespace ${ns.name} ${observed} ${ENFORCE} level: pods are admitted without baseline or restricted checks`,
        ),
      ];
    });
  },
});
