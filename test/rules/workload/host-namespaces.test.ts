import rule from '../../../src/rules/workload/host-namespaces.js';
import { daemonSet, deployment, job, podSpec, statefulSet } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: 'no host namespaces', input: deployment('web', podSpec()) },
    {
      name: 'explicitly false',
      input: deployment('web', podSpec({ hostPID: false, hostIPC: false, hostNetwork: false })),
    },
  ],
  invalid: [
    {
      name: 'hostNetwork on a StatefulSet',
      input: statefulSet('db', podSpec({ hostNetwork: true })),
      errors: [
        { resource: 'StatefulSet/shop/db', path: 'spec.template.spec.hostNetwork', message: /network interfaces/ },
      ],
    },
    {
      name: 'each shared namespace is its own finding',
      input: job('probe', podSpec({ hostPID: true, hostIPC: true })),
      errors: [
        { resource: 'Job/shop/probe', path: 'spec.template.spec.hostIPC' },
        { resource: 'Job/shop/probe', path: 'spec.template.spec.hostPID' },
      ],
    },
    {
      name: 'kube-system at info',
      input: daemonSet('agent', podSpec({ hostPID: true }), 'kube-system'),
      errors: [{ resource: 'DaemonSet/kube-system/agent', path: 'spec.template.spec.hostPID', severity: 'info' }],
    },
  ],
});
