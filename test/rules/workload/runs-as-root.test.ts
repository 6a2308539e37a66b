import rule from '../../../src/rules/workload/runs-as-root.js';
import { container, deployment, podSpec } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const POD = 'spec.template.spec.securityContext';

testRule(rule, {
  valid: [
    { name: 'pod sets runAsNonRoot: true', input: deployment('web', podSpec()) },
    {
      name: 'every container sets it (no pod setting)',
      input: deployment(
        'web',
        podSpec({
          securityContext: {},
          containers: [container('a', { runAsNonRoot: true }), container('b', { runAsNonRoot: true, runAsUser: 1000 })],
        }),
      ),
    },
  ],
  invalid: [
    {
      name: 'nothing set: one finding at the pod naming the containers',
      input: deployment('web', podSpec({ securityContext: {}, containers: [container('a'), container('b')] })),
      errors: [
        {
          resource: 'Deployment/shop/web',
          path: `${POD}.runAsNonRoot`,
          message: /containers a, b set runAsNonRoot: true/,
        },
      ],
    },
    {
      name: 'the container overrides the pod with false',
      input: deployment('web', podSpec({ containers: [container('a'), container('b', { runAsNonRoot: false })] })),
      errors: [
        { resource: 'Deployment/shop/web', path: 'spec.template.spec.containers[1].securityContext.runAsNonRoot' },
      ],
    },
    {
      name: 'runAsUser 0 on a container despite the pod',
      input: deployment('web', podSpec({ containers: [container('a', { runAsUser: 0 })] })),
      errors: [
        {
          resource: 'Deployment/shop/web',
          path: 'spec.template.spec.containers[0].securityContext.runAsUser',
          message: /UID 0/,
        },
      ],
    },
    {
      name: 'runAsUser 0 at the pod',
      input: deployment('web', podSpec({ securityContext: { runAsUser: 0 } })),
      errors: [{ resource: 'Deployment/shop/web', path: `${POD}.runAsUser`, message: /runs container app as UID 0/ }],
    },
    {
      name: 'a non-zero runAsUser without runAsNonRoot still fails (the rule asks for runAsNonRoot)',
      input: deployment('web', podSpec({ securityContext: { runAsUser: 1000 } })),
      errors: [{ resource: 'Deployment/shop/web', path: `${POD}.runAsNonRoot` }],
    },
  ],
});
