import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { CORPUS, runMain } from '../support/cli.js';
import { filesUnder, fired, scanCorpus as scan } from '../support/corpus.js';
import { describeWith } from '../support/layer.js';
import { has } from '../support/prerequisites.js';

/** Third-party files in ../shared/corpus: read where they are, never copied into the repository. */
const describe = describeWith('corpus');

const corpusFiles = has('corpus')
  ? ['rest-api-examples', 'kubescape-aks', 'arm-templates'].flatMap((folder) =>
      filesUnder(join(CORPUS, folder), ['.json']),
    )
  : [];

/** Files that only describe a cluster's upgrade profile or maintenance schedule: nothing a rule can judge alone. */
const MENTIONS_ONLY = /(UpgradeProfile|MaintenanceConfigurations\w*)\.json$/;

describe('every Azure corpus file scans cleanly', () => {
  it('found the corpus', () => expect(corpusFiles.length).toBeGreaterThanOrEqual(50));
  for (const file of corpusFiles.filter((f) => MENTIONS_ONLY.test(f))) {
    it(`${relative(CORPUS, file)}: alone, no cluster to judge (exit 2, one line)`, async () => {
      const run = await runMain(['scan', file]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `aksguard: no AKS cluster found in ${file}: 1 file read, none declares an AKS cluster. Nothing was judged, so this is not a pass; --allow-empty accepts an empty scan\n`,
      );
    });
  }
  for (const file of corpusFiles.filter((f) => !MENTIONS_ONLY.test(f))) {
    it(relative(CORPUS, file), async () => {
      const { code, report } = await scan(file);
      expect([0, 1]).toContain(code);
      expect(report.targets.length).toBeGreaterThanOrEqual(1);
      for (const finding of report.findings) {
        expect(finding.location?.file).toBe(file);
        expect(finding.message).not.toMatch(/replacePassword1234|"secret"/);
      }
    });
  }
});

describe('specific findings on real files', () => {
  const corpus = (path: string) => join(CORPUS, path);

  it('ManagedClustersGet.json: RBAC disabled, service principal, public API server', async () => {
    const { code, report } = await scan(corpus('rest-api-examples/ManagedClustersGet.json'));
    expect(code).toBe(1);
    const ids = fired(report);
    expect(ids).toContain('identity/kubernetes-rbac-disabled clustername1');
    expect(ids).toContain('identity/service-principal-credentials clustername1');
    expect(ids).toContain('control-plane/api-server-unrestricted clustername1');
    expect(ids).toContain('patching/node-image-outdated nodepool1');
    expect(ids).not.toContain('encryption/customer-managed-keys-missing clustername1');
    const rbac = report.findings.find((f) => f.ruleId === 'identity/kubernetes-rbac-disabled');
    expect(rbac?.location).toEqual({ file: corpus('rest-api-examples/ManagedClustersGet.json'), line: 43, column: 11 });
  });

  it('ManagedClustersList.json: RBAC disabled in a list response', async () => {
    const { report } = await scan(corpus('rest-api-examples/ManagedClustersList.json'));
    expect(fired(report)).toContain('identity/kubernetes-rbac-disabled clustername1');
  });

  for (const example of [
    'ManagedClustersCreate_PrivateClusterPublicFQDN',
    'ManagedClustersCreate_PrivateClusterFQDNSubdomain',
  ]) {
    it(`${example}: private, so the API server is not unrestricted`, async () => {
      const { report } = await scan(corpus(`rest-api-examples/${example}.json`));
      const ids = fired(report);
      expect(ids).not.toContain('control-plane/api-server-unrestricted clustername1');
      // One sets enablePrivateClusterPublicFQDN: true; the other leaves it unset, and AKS then creates the public FQDN.
      expect(ids).toContain('control-plane/private-cluster-public-fqdn clustername1');
    });
  }

  it('ManagedClustersCreate_NodePublicIPPrefix.json: node public IP prefix', async () => {
    const { report } = await scan(corpus('rest-api-examples/ManagedClustersCreate_NodePublicIPPrefix.json'));
    expect(fired(report)).toContain('node-access/node-public-ip nodepool1');
  });

  it('ManagedClustersCreate_DisableRunCommand.json: run command disabled', async () => {
    const { report } = await scan(corpus('rest-api-examples/ManagedClustersCreate_DisableRunCommand.json'));
    expect(fired(report).some((id) => id.startsWith('control-plane/run-command-enabled'))).toBe(false);
  });

  it('ManagedClustersCreate_PodIdentity.json: deprecated pod identity', async () => {
    const { report } = await scan(corpus('rest-api-examples/ManagedClustersCreate_PodIdentity.json'));
    const finding = report.findings.find((f) => f.ruleId === 'identity/workload-identity-disabled');
    expect(finding?.message).toMatch(/pod-managed identity/);
  });

  it('ManagedClustersCreate_EnableEncryptionAtHost.json: host encryption on, so no finding', async () => {
    const { report } = await scan(corpus('rest-api-examples/ManagedClustersCreate_EnableEncryptionAtHost.json'));
    expect(fired(report).some((id) => id.startsWith('encryption/host-encryption-disabled'))).toBe(false);
  });

  it('AgentPoolsCreate_WindowsOSSKU.json: a pool without its cluster is still judged', async () => {
    const { report } = await scan(corpus('rest-api-examples/AgentPoolsCreate_WindowsOSSKU.json'));
    expect(report.targets.map((t) => t.name)).toEqual(['clustername1']);
    expect(fired(report)).toContain('encryption/host-encryption-disabled wnp2');
    expect(fired(report).some((id) => id.startsWith('node-access/ssh-enabled'))).toBe(false);
  });

  it('kubescape rule-cni-enabled-aks: network policy engines pass, none and null fail', async () => {
    const cases = {
      'aks-azure-azure-pass': false,
      'aks-calico-azure-pass': false,
      'aks-calico-kubenet-pass': false,
      'aks-empty-fail': true,
      'aks-kubenet-null-fail': true,
    };
    for (const [name, fails] of Object.entries(cases)) {
      const { report } = await scan(corpus(`kubescape-aks/rule-cni-enabled-aks/test/${name}/input/aks.json`));
      expect(
        report.findings.some((f) => f.ruleId === 'isolation/network-policy-disabled'),
        name,
      ).toBe(fails);
    }
  });

  it('kubescape ensure-azure-rbac-is-set: success passes, the three failures fail', async () => {
    const base = 'kubescape-aks/ensure-azure-rbac-is-set/test';
    const rules = async (name: string) =>
      (await scan(corpus(`${base}/${name}/input/ClusterDescribe.json`))).report.findings.map((f) => f.ruleId);
    expect(await rules('success')).not.toContain('identity/azure-rbac-disabled');
    expect(await rules('failed')).toContain('identity/azure-rbac-disabled');
    expect(await rules('failed_with_enableAzureRbac_null')).toContain('identity/azure-rbac-disabled');
    const nullProfile = await rules('failed_with_aadProfile_null');
    expect(nullProfile).toContain('identity/entra-id-integration-missing');
    expect(nullProfile).not.toContain('identity/azure-rbac-disabled');
  });

  it('kubescape secret-etcd-encryption-cloud: KMS and host encryption variants', async () => {
    const base = 'kubescape-aks/secret-etcd-encryption-cloud/test';
    const rules = async (name: string) =>
      (await scan(corpus(`${base}/${name}/input/aks.json`))).report.findings.map((f) => f.ruleId);
    expect(await rules('aks_kms')).not.toContain('encryption/secrets-kms-disabled');
    expect(await rules('aks')).toContain('encryption/secrets-kms-disabled');
    expect(await rules('aks_host_encryption')).not.toContain('encryption/host-encryption-disabled');
    expect(await rules('aks')).toContain('encryption/host-encryption-disabled');
  });

  it('private-aks-cluster template: cluster found in a nested deployment, private by parameter default', async () => {
    const file = corpus('arm-templates/demos/private-aks-cluster/azuredeploy.json');
    const { report } = await scan(file);
    const ids = report.findings.map((f) => f.ruleId);
    expect(report.targets).toHaveLength(1);
    expect(ids).not.toContain('control-plane/api-server-unrestricted');
    expect(ids).not.toContain('isolation/network-policy-disabled');
    expect(ids).toContain('identity/local-accounts-enabled');
    const local = report.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.path).toBe('resources[4].properties.template.resources[0].properties.disableLocalAccounts');
    expect(local?.location?.line).toBeGreaterThan(1900);
  });

  it('templates whose cluster name is known only at deployment time name it by its place, never by an expression', async () => {
    const names = async (path: string) => (await scan(corpus(path))).report.targets.map((t) => t.name);
    expect(await names('arm-templates/demos/aks-nat-agic/azuredeploy.json')).toEqual(['managedClusters']);
    expect(await names('arm-templates/demos/private-aks-cluster/azuredeploy.json')).toEqual(['aks/managedClusters']);
    const { report } = await scan(corpus('arm-templates/demos/private-aks-cluster/azuredeploy.json'));
    const local = report.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.remediation).toMatch(/-n <cluster> /);
  });

  it('aks-azure-linux-os-guard template: trailing comma accepted, public cluster found', async () => {
    const { report } = await scan(
      corpus('arm-templates/quickstarts/microsoft.kubernetes/aks-azure-linux-os-guard/azuredeploy.json'),
    );
    expect(report.findings.map((f) => f.ruleId)).toContain('control-plane/api-server-unrestricted');
  });

  it('aks-osm-addon template: Kubernetes 1.20.9 default is unsupported, pointing at the parameter use', async () => {
    const { report } = await scan(
      corpus('arm-templates/quickstarts/microsoft.kubernetes/aks-osm-addon/azuredeploy.json'),
    );
    const finding = report.findings.find((f) => f.ruleId === 'control-plane/kubernetes-version-unsupported');
    expect(finding?.message).toMatch(/1\.20\.9/);
    expect(finding?.path).toMatch(/properties\.kubernetesVersion$/);
  });

  it('aks-nat-agic template: managed Entra ID with Azure RBAC, pod identity, policy add-on', async () => {
    const { report } = await scan(corpus('arm-templates/demos/aks-nat-agic/azuredeploy.json'));
    const ids = report.findings.map((f) => f.ruleId);
    expect(ids).not.toContain('identity/entra-id-integration-missing');
    expect(ids).not.toContain('identity/azure-rbac-disabled');
    expect(ids).not.toContain('isolation/policy-addon-disabled');
    expect(report.findings.find((f) => f.ruleId === 'identity/workload-identity-disabled')?.message).toMatch(
      /pod-managed/,
    );
  });

  it('CRLF template: line numbers count CRLF line ends once', async () => {
    const file = corpus(
      'arm-templates/quickstarts/microsoft.kubernetes/aks-vmss-systemassigned-identity/azuredeploy.json',
    );
    const { report } = await scan(file);
    const finding = report.findings.find((f) => f.ruleId === 'node-access/ssh-enabled');
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = finding?.location?.line ?? 0;
    expect(lines[line - 1]).toMatch(/"name":|\{/);
    expect(report.targets[0]?.name).toBe('aks101cluster-vmss');
  });

  it('a folder scan joins each file into its own target and never fails', async () => {
    const run = await runMain(['scan', join(CORPUS, 'rest-api-examples'), '--format', 'json', '--as-of', '2026-11-28']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.targets.length).toBeGreaterThanOrEqual(22);
    expect(new Set(report.targets.map((t) => t.id)).size).toBe(report.targets.length);
    // Every target is a cluster or a pool that was judged: none is only a mentioned schedule or profile.
    for (const target of report.targets) expect(report.findings.some((f) => f.target === target.id)).toBe(true);
  });
});
