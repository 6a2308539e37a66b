import rule from '../../../src/rules/workload/host-path-volume.js';
import { daemonSet, deployment, podSpec } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const hostPath = (name: string, path: string) => ({ name, hostPath: { path } });

testRule(rule, {
  valid: [
    {
      name: 'emptyDir and configMap volumes',
      input: deployment(
        'web',
        podSpec({
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'cfg', configMap: { name: 'c' } },
          ],
        }),
      ),
    },
  ],
  invalid: [
    {
      name: 'a log directory',
      input: deployment('web', podSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, hostPath('logs', '/var/log')] })),
      errors: [
        {
          resource: 'Deployment/shop/web',
          path: 'spec.template.spec.volumes[1].hostPath',
          message: /mounts the node's \/var\/log \(volume logs\)$/,
        },
      ],
    },
    {
      name: 'the container runtime socket is named',
      input: daemonSet(
        'agent',
        podSpec({ volumes: [hostPath('sock', '/run/containerd/containerd.sock')] }),
        'monitoring',
      ),
      errors: [
        {
          resource: 'DaemonSet/monitoring/agent',
          path: 'spec.template.spec.volumes[0].hostPath',
          message: /container runtime socket/,
        },
      ],
    },
    {
      name: '/var/run holds the sockets too',
      input: daemonSet('agent', podSpec({ volumes: [hostPath('run', '/var/run')] }), 'monitoring'),
      errors: [
        {
          resource: 'DaemonSet/monitoring/agent',
          path: 'spec.template.spec.volumes[0].hostPath',
          message: /container runtime socket/,
        },
      ],
    },
  ],
});
