import rule from '../../../src/rules/isolation/untrusted-workloads-not-sandboxed.js';
import { deployment, list, podSpec, restrictedNamespace } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const untrusted = restrictedNamespace('tenant-a', { 'aksguard.io/tenant': 'untrusted' });

testRule(rule, {
  valid: [
    {
      name: 'sandboxed with Kata',
      input: list(untrusted, deployment('app', podSpec({ runtimeClassName: 'kata-mshv-vm-isolation' }), 'tenant-a')),
    },
    {
      name: 'trusted namespaces are not judged',
      input: list(restrictedNamespace('shop'), deployment('app', podSpec())),
    },
    { name: 'the label needs the Namespace object', input: deployment('app', podSpec(), 'tenant-a') },
  ],
  invalid: [
    {
      name: 'the default runtime',
      input: list(untrusted, deployment('app', podSpec(), 'tenant-a')),
      errors: [
        {
          resource: 'Deployment/tenant-a/app',
          path: 'spec.template.spec.runtimeClassName',
          severity: 'info',
          message: /need separate clusters/,
        },
      ],
    },
    {
      name: 'a runtime class that is no sandbox',
      input: list(untrusted, deployment('app', podSpec({ runtimeClassName: 'runc' }), 'tenant-a')),
      errors: [
        {
          resource: 'Deployment/tenant-a/app',
          path: 'spec.template.spec.runtimeClassName',
          message: /runtimeClassName runc/,
        },
      ],
    },
  ],
});
