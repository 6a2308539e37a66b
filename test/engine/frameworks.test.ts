import { describe, expect, it } from 'vitest';
import { loadFramework, rulesOf, summarizeFramework } from '../../src/engine/frameworks.js';
import type { Finding } from '../../src/model/finding.js';
import { controlsOf, type FrameworkSummary } from '../../src/model/framework.js';
import { RULES } from '../../src/rules/index.js';

const ALL = RULES.map((r) => r.meta.id);
const cis = loadFramework('cis-aks');

function finding(ruleId: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity: 'high',
    title: 't',
    message: 'm',
    target: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks',
    resource: { kind: 'ManagedCluster', name: 'aks', namespace: null },
    path: 'properties.x',
    location: null,
    remediation: '',
    unknown: false,
    suppressed: null,
    ...extra,
  };
}

const control = (summary: FrameworkSummary, id: string) => summary.controls.find((c) => c.id === id);

describe('summarizeFramework', () => {
  it('fails a control on an unsuppressed finding of a mapped rule and passes one whose rules found nothing', () => {
    const summary = summarizeFramework(cis, [finding('control-plane/api-server-unrestricted')], ALL);
    expect(control(summary, '5.4.1')).toMatchObject({
      status: 'fail',
      failing: 1,
      rules: ['control-plane/api-server-unrestricted', 'control-plane/authorized-ranges-too-broad'],
    });
    expect(control(summary, '5.4.2')?.status).toBe('fail');
    expect(control(summary, '5.4.3')).toMatchObject({
      status: 'pass',
      failing: 0,
      rules: ['node-access/node-public-ip'],
    });
  });

  it('says not covered for a control no rule evidences, whatever the findings', () => {
    const summary = summarizeFramework(
      cis,
      ALL.map((id) => finding(id)),
      ALL,
    );
    expect(control(summary, '2.1.1')).toMatchObject({ status: 'not-covered', rules: [], failing: 0 });
    expect(control(summary, '3.2.1')?.status).toBe('not-covered');
  });

  it('is undecided when the only findings are unknown, also when the rule itself failed', () => {
    const unknown = finding('isolation/network-policy-disabled', { unknown: true, severity: 'info' });
    const crashed = finding('workload/host-namespaces', { target: '*', path: '', unknown: true, severity: 'info' });
    const summary = summarizeFramework(cis, [unknown, crashed], ALL);
    expect(control(summary, '5.4.4')).toMatchObject({ status: 'undecided', undecided: 1, failing: 0 });
    for (const id of ['4.2.2', '4.2.3', '4.2.4']) expect(control(summary, id)?.status).toBe('undecided');
  });

  it('lets a failing finding win over an unknown one', () => {
    const summary = summarizeFramework(
      cis,
      [finding('identity/local-accounts-enabled'), finding('identity/entra-id-integration-missing', { unknown: true })],
      ALL,
    );
    expect(control(summary, '5.5.1')).toMatchObject({ status: 'fail', failing: 1, undecided: 1 });
  });

  it('does not fail a control on suppressed findings but counts them', () => {
    const suppressed = finding('encryption/secrets-kms-disabled', {
      suppressed: { by: 'config', reason: 'keys arrive in Q3' },
    });
    const summary = summarizeFramework(cis, [suppressed, { ...suppressed, unknown: true }], ALL);
    expect(control(summary, '5.3.1')).toMatchObject({ status: 'pass', suppressed: 2, failing: 0, undecided: 0 });
  });

  it('does not fail a control on info findings (system namespaces)', () => {
    const summary = summarizeFramework(cis, [finding('workload/privileged-container', { severity: 'info' })], ALL);
    expect(control(summary, '4.2.1')?.status).toBe('pass');
  });

  it('counts a finding only for the control of the property it names when the mapping narrows by path', () => {
    const network = finding('workload/host-namespaces', { path: 'spec.template.spec.hostNetwork' });
    const summary = summarizeFramework(cis, [network], ALL);
    expect(control(summary, '4.2.4')).toMatchObject({ status: 'fail', failing: 1 });
    expect(control(summary, '4.2.2')).toMatchObject({ status: 'pass', failing: 0 });
    expect(control(summary, '4.2.3')?.status).toBe('pass');
  });

  it('says not run, never pass, when every mapped rule was left out of the scan', () => {
    const ran = ALL.filter((id) => !id.startsWith('rbac/'));
    const summary = summarizeFramework(cis, [], ran);
    expect(control(summary, '4.1.1')?.status).toBe('not-run');
    expect(control(summary, '4.6.2')?.status).toBe('pass');
  });

  it('counts the controls by status, in the framework order', () => {
    const summary = summarizeFramework(cis, [finding('control-plane/api-server-unrestricted')], ALL);
    expect(summary.controls.map((c) => c.id)).toEqual(cis.controls.map((c) => c.id));
    const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(cis.controls.length);
    expect(summary.counts.fail).toBe(2);
    expect(summary.counts['not-covered']).toBe(summary.controls.filter((c) => c.rules.length === 0).length);
    expect(summary).toMatchObject({ id: 'cis-aks', version: cis.version, checked: cis.checked });
  });
});

describe('rulesOf and controlsOf', () => {
  it('lists the rules that evidence a control, and a rule’s controls in framework order', () => {
    expect(rulesOf(cis)).toContain('workload/host-namespaces');
    expect(rulesOf(cis)).not.toContain('patching/pool-version-skew');
    expect(controlsOf(cis, 'workload/host-namespaces')).toEqual(['4.2.2', '4.2.3', '4.2.4']);
    expect(controlsOf(cis, 'patching/pool-version-skew')).toEqual([]);
  });
});
