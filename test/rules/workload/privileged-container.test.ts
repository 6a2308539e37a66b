import rule from '../../../src/rules/workload/privileged-container.js';
import {
  container,
  cronJob,
  daemonSet,
  deployment,
  list,
  pod,
  podSpec,
  replicaSet,
} from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const privileged = container('app', { privileged: true });

testRule(rule, {
  valid: [
    { name: 'hardened deployment', input: deployment('web', podSpec()) },
    {
      name: 'privileged: false',
      input: deployment('web', podSpec({ containers: [container('app', { privileged: false })] })),
    },
    {
      name: 'a pod owned by a Deployment in the input is judged through the Deployment',
      input: list(
        deployment('web', podSpec()),
        pod('web-7d9f8-abcde', podSpec({ containers: [privileged] }), 'shop', {
          labels: { 'pod-template-hash': '7d9f8' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8', controller: true }],
        }),
      ),
    },
  ],
  invalid: [
    {
      name: 'privileged container in a Deployment (critical)',
      input: deployment('web', podSpec({ containers: [privileged] })),
      errors: [
        {
          resource: 'Deployment/shop/web',
          path: 'spec.template.spec.containers[0].securityContext.privileged',
          severity: 'critical',
          message: /container app runs privileged/,
        },
      ],
    },
    {
      name: 'init and ephemeral containers count',
      input: pod(
        'debug',
        podSpec({
          initContainers: [container('init', { privileged: true })],
          ephemeralContainers: [container('dbg', { privileged: true })],
        }),
      ),
      errors: [
        { resource: 'Pod/shop/debug', path: 'spec.ephemeralContainers[0].securityContext.privileged' },
        { resource: 'Pod/shop/debug', path: 'spec.initContainers[0].securityContext.privileged' },
      ],
    },
    {
      name: 'CronJob template',
      input: cronJob('backup', podSpec({ containers: [privileged] })),
      errors: [
        {
          resource: 'CronJob/shop/backup',
          path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged',
        },
      ],
    },
    {
      name: 'a ReplicaSet whose Deployment is not in the input is judged itself',
      input: replicaSet('web-5c4b', podSpec({ containers: [privileged] }), 'shop', {
        ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
      }),
      errors: [
        { resource: 'ReplicaSet/shop/web-5c4b', path: 'spec.template.spec.containers[0].securityContext.privileged' },
      ],
    },
  ],
});

testRule(rule, {
  valid: [],
  invalid: [
    {
      name: 'system namespaces are reported at info',
      input: daemonSet('kube-proxy', podSpec({ containers: [privileged] }), 'kube-system'),
      errors: [
        {
          resource: 'DaemonSet/kube-system/kube-proxy',
          path: 'spec.template.spec.containers[0].securityContext.privileged',
          severity: 'info',
          message: /system namespace kube-system/,
        },
      ],
    },
    {
      name: 'YAML manifests locate the line of the setting',
      files: true,
      input: {
        'app.yaml': [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: web, namespace: shop}',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: app',
          '          image: nginx',
          '          securityContext:',
          '            privileged: yes',
          '',
        ].join('\n'),
      },
      errors: [
        { resource: 'Deployment/shop/web', path: 'spec.template.spec.containers[0].securityContext.privileged' },
      ],
    },
  ],
});
