// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL expressions are written as @cdktf/hcl2json gives them
import { describe, expect, it } from 'vitest';
import { Unresolved } from '../../src/model/unresolved.js';
import { evaluate, expressionText, type Scope } from '../../src/sources/terraform/expression.js';
import { Reference, Sensitive } from '../../src/sources/terraform/values.js';

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

  it('never guesses: resource attributes, data sources, unknown functions and undeclared names stay unknown', () => {
    for (const text of [
      '${azurerm_subnet.nodes.id}',
      '${data.azurerm_client_config.current.tenant_id}',
      '${file("key.pub")}',
      '${[for z in var.zones : z if z == var.missing]}',
      '${var.missing}',
      '${module.net.subnet_id}',
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

describe('terraform expressions as real modules write them', () => {
  const s = scope({
    pools: { b: { name: 'b', zones: ['1'] }, a: { name: 'a', zones: [] } },
    channel: null,
    names: ['x', 'y', 'x'],
  });

  it('for expressions over lists and maps (keys in order), with if filters and grouping', () => {
    expect(evaluate('${[for k, v in var.pools : "${k}-${v.name}"]}', s)).toEqual(['a-a', 'b-b']);
    expect(evaluate('${{ for k, v in var.pools : k => length(v.zones) if length(v.zones) > 0 }}', s)).toEqual({ b: 1 });
    expect(evaluate('${{ for n in var.names : n => n... }}', s)).toEqual({ x: ['x', 'x'], y: ['y'] });
    expect(evaluate('${{ for i in range(3) : "worker${i}" => i }}', s)).toEqual({ worker0: 0, worker1: 1, worker2: 2 });
  });

  it('splats, legacy index syntax, try, can, coalesce, regex and set functions', () => {
    expect(evaluate('${values(var.pools)[*].name}', s)).toEqual(['a', 'b']);
    expect(evaluate('${var.pools.b.zones.0}', s)).toBe('1');
    expect(evaluate('${try(var.pools.c.name, "none")}', s)).toBe('none');
    expect(evaluate('${can(regex("^(a|b)$", "b"))}', s)).toBe(true);
    expect(evaluate('${can(regex("^(a|b)$", "c"))}', s)).toBe(false);
    expect(evaluate('${coalesce(var.channel, "patch")}', s)).toBe('patch');
    expect(evaluate('${regex("^(?P<major>\\\\d+)\\\\.(\\\\d+)", "1.29.2")}', s)).toEqual({ major: '1' });
    expect(evaluate('${toset(var.names)}', s)).toEqual(['x', 'y']);
    expect(evaluate('${contains(keys(var.pools), "a") && !contains(var.names, "z")}', s)).toBe(true);
    expect(evaluate('${jsondecode(jsonencode({ a = [1, true] }))}', s)).toEqual({ a: [1, true] });
    expect(evaluate('${lower(tostring(length(var.names)))}', s)).toBe('3');
    expect(evaluate('%{ if var.channel == null }none%{ else }set%{ endif }', s)).toBe('none');
    expect(evaluate('%{ for n in toset(var.names) }${n};%{ endfor }', s)).toBe('x;y;');
  });

  it('an unknown value names its input in one short line, not the whole expression', () => {
    const value = evaluate(
      '${{ for k, v in var.pools : k => merge(v, { vm = var.vm_size, big = length(v.zones) > 2 ? "yes" : "no" }) }}',
      s,
    ) as Record<string, Record<string, unknown>>;
    expect(value.a?.big).toBe('no');
    const vm = value.a?.vm as Unresolved;
    expect(vm.expression).toBe('var.vm_size');
    const deep = evaluate(
      '${upper(format("%s-%s", var.region, join("-", [for z in var.zones : z])))}',
      s,
    ) as Unresolved;
    expect(`${deep.expression} (${deep.reason})`).toBe('var.region (not declared in this module)');
    const rejected = evaluate('${var.pools.c.name}', s) as Unresolved;
    expect(rejected.reason).toBe('Terraform would reject it: no attribute "c"');
  });

  it('a resource reference is unknown but carries its address; a reference is never null', () => {
    const ref = evaluate('${azurerm_kubernetes_cluster.k[0].id}', { ...empty, module: 'module.aks.' });
    expect(ref).toBeInstanceOf(Reference);
    expect((ref as Reference).address).toBe('module.aks.azurerm_kubernetes_cluster.k[0]');
    expect((ref as Reference).isId).toBe(true);
    expect(evaluate('${azurerm_kubernetes_cluster.k.id != null ? "set" : "unset"}', empty)).toBe('set');
  });

  it('values derived from sensitive ones stay marked; the rest do not', () => {
    const secret = scope({ name: new Sensitive('hidden-name'), plain: 'visible' });
    const joined = evaluate('${"${var.name}-aks"}', secret);
    expect(joined).toBeInstanceOf(Sensitive);
    const object = evaluate('${{ a = var.plain, b = upper(var.name), c = length(var.name) > 3 }}', secret) as Record<
      string,
      unknown
    >;
    expect(object.a).toBe('visible');
    expect(object.b).toEqual(new Sensitive('HIDDEN-NAME'));
    expect(object.c).toEqual(new Sensitive(true));
  });
});
