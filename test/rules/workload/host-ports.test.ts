import rule from '../../../src/rules/workload/host-ports.js';
import { container, deployment, podSpec } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'container ports only',
      input: deployment('web', podSpec({ containers: [container('app', {}, { ports: [{ containerPort: 8080 }] })] })),
    },
    {
      name: 'hostPort 0 is unset',
      input: deployment(
        'web',
        podSpec({ containers: [container('app', {}, { ports: [{ containerPort: 80, hostPort: 0 }] })] }),
      ),
    },
    {
      name: 'hostNetwork alone sets no explicit hostPort',
      input: deployment(
        'web',
        podSpec({ hostNetwork: true, containers: [container('app', {}, { ports: [{ containerPort: 80 }] })] }),
      ),
    },
  ],
  invalid: [
    {
      name: 'hostPort on the second port',
      input: deployment(
        'web',
        podSpec({
          containers: [container('app', {}, { ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 443 }] })],
        }),
      ),
      errors: [
        {
          resource: 'Deployment/shop/web',
          path: 'spec.template.spec.containers[0].ports[1].hostPort',
          message: /hostPort 443/,
        },
      ],
    },
  ],
});
