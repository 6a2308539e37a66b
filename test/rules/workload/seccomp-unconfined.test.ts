import rule from '../../../src/rules/workload/seccomp-unconfined.js';
import { container, deployment, podSpec } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const POD_PROFILE = 'spec.template.spec.securityContext.seccompProfile';

testRule(rule, {
  valid: [
    { name: 'RuntimeDefault at the pod', input: deployment('web', podSpec()) },
    {
      name: 'Localhost on the container',
      input: deployment(
        'web',
        podSpec({
          securityContext: { runAsNonRoot: true },
          containers: [container('a', { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } })],
        }),
      ),
    },
    {
      name: 'Windows pods are exempt',
      input: deployment('win', podSpec({ securityContext: {}, nodeSelector: { 'kubernetes.io/os': 'windows' } })),
    },
  ],
  invalid: [
    {
      name: 'no profile anywhere',
      input: deployment('web', podSpec({ securityContext: { runAsNonRoot: true } })),
      errors: [
        { resource: 'Deployment/shop/web', path: POD_PROFILE, message: /no seccomp profile is set for container app/ },
      ],
    },
    {
      name: 'Unconfined at the pod',
      input: deployment('web', podSpec({ securityContext: { seccompProfile: { type: 'Unconfined' } } })),
      errors: [
        { resource: 'Deployment/shop/web', path: POD_PROFILE, message: /the pod sets seccompProfile Unconfined/ },
      ],
    },
    {
      name: 'a container overrides RuntimeDefault with Unconfined',
      input: deployment(
        'web',
        podSpec({ containers: [container('a'), container('b', { seccompProfile: { type: 'Unconfined' } })] }),
      ),
      errors: [
        { resource: 'Deployment/shop/web', path: 'spec.template.spec.containers[1].securityContext.seccompProfile' },
      ],
    },
  ],
});
