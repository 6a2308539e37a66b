import rule from '../../../src/rules/workload/privilege-escalation-allowed.js';
import { container, deployment, pod, podSpec } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    { name: 'allowPrivilegeEscalation: false', input: deployment('web', podSpec()) },
    {
      name: 'Windows pods are exempt',
      input: deployment(
        'win',
        podSpec({
          os: { name: 'windows' },
          containers: [{ name: 'iis', image: 'mcr.microsoft.com/windows/servercore/iis' }],
        }),
      ),
    },
  ],
  invalid: [
    {
      name: 'not set: Kubernetes allows it',
      input: deployment('web', podSpec({ containers: [{ name: 'app', image: 'nginx' }] })),
      errors: [
        {
          resource: 'Deployment/shop/web',
          path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
          message: /not set/,
        },
      ],
    },
    {
      name: 'explicitly true, on an init container',
      input: pod('p', podSpec({ initContainers: [container('init', { allowPrivilegeEscalation: true })] })),
      errors: [
        {
          resource: 'Pod/shop/p',
          path: 'spec.initContainers[0].securityContext.allowPrivilegeEscalation',
          message: /: true\)/,
        },
      ],
    },
  ],
});
