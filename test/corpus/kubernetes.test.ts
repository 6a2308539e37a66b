import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { loadInputs } from '../../src/sources/index.js';
import { aksguard, CORPUS } from '../support/cli.js';
import { describeWith } from '../support/layer.js';

/** Third-party files in ../shared/corpus: read where they are, never copied into the repository. */
const describe = describeWith('corpus');

const KUBERNETES = join(CORPUS, 'kubernetes');
const KURED = join(KUBERNETES, 'kubereboot/kured');
const STORE = join(KUBERNETES, 'Azure-Samples/aks-store-demo/aks-store-all-in-one.yaml');
const BOUTIQUE = join(KUBERNETES, 'GoogleCloudPlatform/microservices-demo/release/kubernetes-manifests.yaml');

/** `severity ruleId Kind/namespace/name path:line` of every finding located in files under `folder`. */
function fired(report: ScanResult, folder: string): string[] {
  return report.findings
    .filter((f) => f.location?.file.startsWith(folder))
    .map(
      (f) =>
        `${f.severity} ${f.ruleId} ${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name} ${f.path}:${f.location?.line}`,
    );
}

describe('aksguard scan ../shared/corpus/kubernetes/', () => {
  const run = aksguard(['scan', KUBERNETES, '--format', 'json', '--as-of', '2026-11-28']);
  const report = JSON.parse(run.stdout) as ScanResult;

  it('reads the three manifest folders as one cluster (one scan, one cluster), without errors', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0); // nothing at or above high: kured's findings are in kube-system, at info
    expect(report.targets.map((t) => `${t.name} ${t.source}`)).toEqual([`kubernetes ${KUBERNETES}`]);
  });

  it("kured's DaemonSet: privileged, hostPID, /var/run from the host; info in kube-system", () => {
    const ds = 'DaemonSet/kube-system/kured spec.template.spec';
    expect(fired(report, KURED)).toEqual([
      `info workload/host-namespaces ${ds}.hostPID:30`,
      `info workload/host-path-volume ${ds}.volumes[0].hostPath:34`,
      `info workload/privilege-escalation-allowed ${ds}.containers[0].securityContext.allowPrivilegeEscalation:43`,
      `info workload/privileged-container ${ds}.containers[0].securityContext.privileged:44`,
      `info workload/runs-as-root ${ds}.securityContext.runAsNonRoot:23`,
      `info workload/seccomp-unconfined ${ds}.securityContext.seccompProfile:23`,
    ]);
  });

  it("kured's RBAC is least privilege: its roles and bindings are read and no rbac rule fires", async () => {
    const { snapshot } = await loadInputs([KURED], { readStdin: async () => '' });
    const kubernetes = snapshot.clusters[0]?.kubernetes;
    expect(kubernetes?.roles.map((r) => `${r.kind}/${r.name}`)).toEqual(['ClusterRole/kured', 'Role/kured']);
    expect(kubernetes?.bindings.map((b) => `${b.kind}/${b.name}`)).toEqual([
      'ClusterRoleBinding/kured',
      'RoleBinding/kured',
    ]);
    expect(report.findings.filter((f) => f.ruleId.startsWith('rbac/'))).toEqual([]);
  });

  it('aks-store-demo: every workload runs with the defaults', () => {
    const findings = fired(report, STORE);
    const workloads = [
      'Deployment/default/makeline-service',
      'Deployment/default/order-service',
      'Deployment/default/product-service',
      'Deployment/default/store-admin',
      'Deployment/default/store-front',
      'Deployment/default/virtual-customer',
      'Deployment/default/virtual-worker',
      'StatefulSet/default/documentdb',
      'StatefulSet/default/rabbitmq',
    ];
    for (const rule of ['runs-as-root', 'seccomp-unconfined', 'service-account-token-automount']) {
      expect(findings.filter((f) => f.includes(`workload/${rule} `)).map((f) => f.split(' ')[2])).toEqual(workloads);
    }
    // order-service's init container counts too.
    expect(findings.filter((f) => f.includes('privilege-escalation-allowed'))).toHaveLength(10);
    expect(findings).toContain(
      'medium workload/privilege-escalation-allowed Deployment/default/order-service spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation:219',
    );
    expect(findings).toContain(
      'medium isolation/namespace-without-network-policy Namespace//default metadata.namespace:3',
    );
    expect(findings).toContain('info isolation/namespace-without-pod-security Namespace//default metadata.namespace:3');
  });

  it('microservices-demo: hardened pods, only seccomp missing (and redis-cart keeps its token)', () => {
    const findings = fired(report, BOUTIQUE);
    expect(findings.filter((f) => /runs-as-root|privilege|privileged|capabilities|host-/.test(f))).toEqual([]);
    expect(findings.filter((f) => f.includes('workload/seccomp-unconfined'))).toHaveLength(12);
    expect(findings.filter((f) => f.includes('service-account-token-automount'))).toEqual([
      'low workload/service-account-token-automount Deployment/default/redis-cart spec.template.spec.automountServiceAccountToken:386',
    ]);
  });

  it('never prints the Secret values of the manifests', () => {
    expect(run.stdout).not.toMatch(/dXNlcm5hbWU=|cGFzc3dvcmQ=/);
  });
});

describe('manifests next to an Azure cluster file', () => {
  it('the whole corpus still scans: among many clusters, the manifests are one target of their own', () => {
    const all = aksguard(['scan', CORPUS, '--format', 'json', '--as-of', '2026-11-28'], { timeout: 60_000 });
    const report = JSON.parse(all.stdout) as ScanResult;
    // The Bicep files (no compiler here) and registry modules are skipped, with a warning each, and nothing else.
    expect(all.stderr).toBe(report.skipped.map((s) => `aksguard: warning: skipped ${s.file}: ${s.reason}\n`).join(''));
    const manifests = report.targets.filter((t) => t.source.startsWith(KUBERNETES));
    expect(manifests.map((t) => t.name)).toEqual(['kubernetes']);
    const kinds = new Set(report.findings.filter((f) => f.target === manifests[0]?.id).map((f) => f.resource.kind));
    expect([...kinds].sort()).toEqual(['DaemonSet', 'Deployment', 'Namespace', 'StatefulSet']);
  });
});
