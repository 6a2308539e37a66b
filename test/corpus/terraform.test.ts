import { dirname, join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { CORPUS } from '../support/cli.js';
import { filesUnder, fired, scanCorpus as scan } from '../support/corpus.js';
import { describeWith } from '../support/layer.js';

/** Third-party files in ../shared/corpus: read where they are, never copied into the repository. */
const describe = describeWith('corpus');

const ROOT = join(CORPUS, 'terraform');

const corpus = (path: string) => join(ROOT, path);

describe('every Terraform corpus file scans cleanly', () => {
  const all = filesUnder(ROOT, ['.tf']);
  it('found the corpus', () => expect(all.length).toBeGreaterThanOrEqual(13));
  for (const file of all) {
    it(relative(ROOT, file), async () => {
      const { code, report } = await scan(file);
      expect([0, 1]).toContain(code);
      expect(report.targets.length + report.skipped.length).toBeGreaterThanOrEqual(1);
      expect(report.targets.length).toBeGreaterThanOrEqual(1);
      for (const finding of report.findings) {
        expect(finding.location?.file.endsWith('.tf')).toBe(true);
        expect(finding.location?.line).toBeGreaterThan(0);
      }
    });
  }
});

describe('specific findings on real Terraform', () => {
  it('AKS landing zone private cluster: private, Entra ID, no local accounts; registry modules noted, user pool joined', async () => {
    const file = corpus(
      'Azure/AKS-Landing-Zone-Accelerator/Scenarios/AKS-Secure-Baseline-PrivateCluster/Terraform/06-AKS-Cluster/main.tf',
    );
    const { code, report } = await scan(file);
    expect(code).toBe(1);
    expect(report.targets).toHaveLength(1);
    const ids = fired(report);
    const cluster = 'azurerm_kubernetes_cluster.aks-cluster';
    for (const passing of [
      'control-plane/api-server-unrestricted',
      'control-plane/private-cluster-public-fqdn',
      'identity/local-accounts-enabled',
      'identity/entra-id-integration-missing',
      'identity/kubernetes-rbac-disabled',
      'identity/workload-identity-disabled',
      'isolation/policy-addon-disabled',
      'control-plane/cluster-auto-upgrade-disabled',
    ]) {
      expect(ids.filter((id) => id.startsWith(passing))).toEqual([]);
    }
    expect(ids).toContain(`isolation/network-policy-disabled ${cluster}`);
    expect(ids).toContain('encryption/host-encryption-disabled user');
    expect(report.skipped.map((s) => s.reason).join('\n')).toMatch(/module "naming" .*is not followed/);
  });

  it('terraform-azurerm-aks startup example: the local module is followed with its arguments', async () => {
    const { report } = await scan(corpus('Azure/terraform-azurerm-aks/examples/startup/main.tf'));
    const ids = fired(report);
    const cluster = 'module.aks.azurerm_kubernetes_cluster.main';
    expect(report.targets.map((t) => t.name)).toEqual([cluster]);
    expect(ids.filter((id) => id.startsWith('control-plane/api-server-unrestricted'))).toEqual([]);
    expect(ids.filter((id) => id.startsWith('identity/local-accounts-enabled'))).toEqual([]);
    expect(ids.filter((id) => id.startsWith('identity/kubernetes-rbac-disabled'))).toEqual([]);
    expect(ids).toContain(`control-plane/kubernetes-version-unsupported ${cluster}`);
    // automatic_channel_upgrade = "patch" and node_os_channel_upgrade = "NodeImage" (the 3.x names) reach the cluster.
    expect(ids.filter((id) => id.startsWith('control-plane/cluster-auto-upgrade-disabled'))).toEqual([]);
    expect(ids.filter((id) => id.startsWith('patching/node-os-upgrade-disabled'))).toEqual([]);
    // Values the example does not pass stay unknown: variables.tf is not part of the corpus.
    expect(ids).toContain(`monitoring/defender-disabled ${cluster} ?`);
  });

  it('terraform-azurerm-aks module alone: variables without values make its settings unknown, never guessed', async () => {
    const { code, report } = await scan(corpus('Azure/terraform-azurerm-aks/main.tf'));
    expect(code).toBe(0);
    const ids = fired(report);
    expect(ids).toContain('control-plane/api-server-unrestricted azurerm_kubernetes_cluster.main ?');
    expect(ids).toContain('identity/entra-id-integration-missing azurerm_kubernetes_cluster.main ?');
    expect(report.findings.every((f) => f.unknown)).toBe(true);
  });

  it('Windows quickstart: the Windows pool joins its cluster; NodeImage (the azurerm default) patches it', async () => {
    const { report } = await scan(corpus('Azure/terraform/quickstart/101-aks-cluster-windows/main.tf'));
    const ids = fired(report);
    expect(report.targets).toHaveLength(1);
    const win = 'azurerm_kubernetes_cluster_node_pool.win';
    expect(ids).toContain(`encryption/host-encryption-disabled ${win}`);
    expect(ids.filter((id) => id.startsWith('patching/windows-pool-not-auto-patched'))).toEqual([]);
    expect(ids).toContain('control-plane/api-server-unrestricted azurerm_kubernetes_cluster.aks');
    const hostEncryption = report.findings.find((f) => f.resource.name === win);
    expect(hostEncryption?.location).toMatchObject({ line: 67, column: 1 });
  });

  it('azapi extended-zones quickstart: the ARM body is read as is', async () => {
    const file = corpus('Azure/terraform/quickstart/101-aks-extended-zones/main.tf');
    const { report } = await scan(file);
    const ids = fired(report);
    expect(ids).toContain('identity/local-accounts-enabled azapi_resource.aks');
    expect(ids).toContain('isolation/network-policy-disabled azapi_resource.aks');
    expect(ids).toContain('control-plane/cluster-auto-upgrade-disabled azapi_resource.aks');
    expect(ids.filter((id) => id.startsWith('node-access/node-public-ip'))).toEqual([]);
    const local = report.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.location).toMatchObject({ file, line: 96 });
    expect(local?.path).toBe('body.properties.disableLocalAccounts');
  });

  it('legacy 0.11 interpolation (every value quoted) private cluster with a service principal from a variable', async () => {
    const { report } = await scan(corpus('Azure/terraform/quickstart/301-aks-private-cluster/aks.tf'));
    const ids = fired(report);
    expect(ids.filter((id) => id.startsWith('control-plane/api-server-unrestricted'))).toEqual([]);
    expect(ids).toContain('identity/service-principal-credentials azurerm_kubernetes_cluster.k8s ?');
    expect(ids).toContain('identity/local-accounts-enabled azurerm_kubernetes_cluster.k8s');
  });

  it('application gateway quickstart: private cluster and RBAC from variables without defaults are unknown', async () => {
    const { report } = await scan(
      corpus('Azure/terraform/quickstart/201-k8s-cluster-with-aks-applicationgateway-ingress/main.tf'),
    );
    const ids = fired(report);
    expect(ids).toContain('control-plane/api-server-unrestricted azurerm_kubernetes_cluster.aks ?');
    expect(ids).toContain('identity/kubernetes-rbac-disabled azurerm_kubernetes_cluster.aks ?');
  });

  it('provider examples: defaults fail, calico passes network policy, private API server passes', async () => {
    const base = 'hashicorp/terraform-provider-azurerm/examples/kubernetes/';
    const basic = fired((await scan(corpus(`${base}basic-cluster/main.tf`))).report);
    for (const id of [
      'control-plane/api-server-unrestricted',
      'identity/local-accounts-enabled',
      'identity/entra-id-integration-missing',
      'isolation/network-policy-disabled',
    ]) {
      expect(basic).toContain(`${id} azurerm_kubernetes_cluster.example`);
    }
    expect(basic.filter((id) => id.startsWith('identity/kubernetes-rbac-disabled'))).toEqual([]);

    const calico = fired((await scan(corpus(`${base}network-policy-calico/main.tf`))).report);
    expect(calico.filter((id) => id.startsWith('isolation/network-policy-disabled'))).toEqual([]);
    expect(calico).toContain('node-access/system-pool-not-isolated system');

    const privateApi = fired((await scan(corpus(`${base}private-api-server/main.tf`))).report);
    expect(privateApi.filter((id) => id.startsWith('control-plane/api-server-unrestricted'))).toEqual([]);
    expect(privateApi.filter((id) => id.startsWith('control-plane/private-cluster-public-fqdn'))).toEqual([]);
  });

  it('ACR identity quickstart: RBAC on, public API server', async () => {
    const file = corpus('Azure/terraform/quickstart/201-aks-acr-identity/aks.tf');
    const { report } = await scan(file);
    const ids = fired(report);
    expect(ids).toContain('control-plane/api-server-unrestricted azurerm_kubernetes_cluster.default');
    expect(ids.filter((id) => id.startsWith('identity/kubernetes-rbac-disabled'))).toEqual([]);
    expect(report.findings.every((f) => dirname(f.location?.file ?? '') === dirname(file))).toBe(true);
  });
});
