// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL expressions are written as @cdktf/hcl2json gives them
import { describe, expect, it } from 'vitest';
import { Unresolved } from '../../src/model/unresolved.js';
import { evaluate, expressionText, type Scope } from '../../src/sources/terraform/expression.js';

const scope = (vars: Record<string, unknown>, locals: Record<string, unknown> = {}): Scope => ({
  reference: (root, name) => (root === 'var' ? vars[name] : root === 'local' ? locals[name] : undefined),
});
const empty = scope({});
const unknown = (value: unknown) => value instanceof Unresolved;

describe('terraform expressions', () => {
  it('keeps literals and evaluates a whole-string expression to its own type', () => {
    expect(evaluate('plain', empty)).toBe('plain');
    expect(evaluate(true, empty)).toBe(true);
    expect(evaluate('${var.on}', scope({ on: false }))).toBe(false);
    expect(evaluate('${var.ranges}', scope({ ranges: ['10.0.0.0/8'] }))).toEqual(['10.0.0.0/8']);
  });

  it('joins templates, and leaves $${ escapes as text', () => {
    expect(evaluate('${var.p}-aks-${local.n}', scope({ p: 'prod' }, { n: 2 }))).toBe('prod-aks-2');
    expect(evaluate('a$${b}', empty)).toBe('a${b}');
  });

  it('evaluates operators, conditionals, indexing and the pure functions', () => {
    const s = scope({ env: 'prod', zones: ['1', '2'], tags: { team: 'x' } });
    expect(evaluate('${var.env == "prod" ? true : false}', s)).toBe(true);
    expect(evaluate('${!(var.env != "prod") && length(var.zones) > 1}', s)).toBe(true);
    expect(evaluate('${var.zones[1]}', s)).toBe('2');
    expect(evaluate('${var.tags["team"]}', s)).toBe('x');
    expect(evaluate('${lookup(var.tags, "missing", "none")}', s)).toBe('none');
    expect(evaluate('${upper(format("%s-%d", var.env, 3))}', s)).toBe('PROD-3');
    expect(evaluate('${concat(var.zones, ["3"])}', s)).toEqual(['1', '2', '3']);
    expect(evaluate('${merge(var.tags, { env = var.env })}', s)).toEqual({ team: 'x', env: 'prod' });
  });

  it('keeps jsonencode bodies as their structure, unknown parts inside', () => {
    const body = evaluate('${jsonencode({ properties = { enableRBAC = true, dnsPrefix = var.dns } })}', empty) as {
      properties: Record<string, unknown>;
    };
    expect(body.properties.enableRBAC).toBe(true);
    expect(unknown(body.properties.dnsPrefix)).toBe(true);
  });

  it('never guesses: resource attributes, data sources, unknown functions and for expressions stay unknown', () => {
    for (const text of [
      '${azurerm_subnet.nodes.id}',
      '${data.azurerm_client_config.current.tenant_id}',
      '${file("key.pub")}',
      '${[for z in var.zones : z]}',
      '${var.missing}',
      '${module.net.subnet_id}',
      '%{ if true }x%{ endif }',
    ]) {
      const value = evaluate(text, scope({ zones: ['1'] }));
      expect(unknown(value), text).toBe(true);
    }
    expect(String(evaluate('${azurerm_subnet.nodes.id}', empty))).toBe('azurerm_subnet.nodes.id');
  });

  it('a function Terraform would reject is unknown, not a crash', () => {
    for (const text of ['${keys(null)}', '${jsondecode("{not json")}', '${element([], 0)}']) {
      expect(unknown(evaluate(text, empty)), text).toBe(true);
    }
  });

  it('a condition on an unknown value is unknown unless both branches agree', () => {
    expect(unknown(evaluate('${var.x ? true : false}', empty))).toBe(true);
    expect(evaluate('${var.x ? "a" : "a"}', empty)).toBe('a');
    expect(evaluate('${var.x && false}', empty)).toBe(false);
    expect(unknown(evaluate('${var.x || false}', empty))).toBe(true);
  });

  it('keeps unknown list items in place', () => {
    const value = evaluate(['10.0.0.0/8', '${var.office}'], empty) as unknown[];
    expect(value[0]).toBe('10.0.0.0/8');
    expect(unknown(value[1])).toBe(true);
  });

  it('names the expression of a reference', () => {
    expect(expressionText('${azurerm_kubernetes_cluster.k8s.id}')).toBe('azurerm_kubernetes_cluster.k8s.id');
    expect(expressionText('literal')).toBeUndefined();
  });
});
