import type { Path, Position } from '../../model/provenance.js';
import { Unresolved } from '../../model/unresolved.js';
import type { TfBody } from './arm-shape.js';
import { type BlockNode, childBlock } from './blocks.js';
import { Expr, evaluate, expressionText, type Scope } from './expression.js';
import { forEachEntries, IteratorScope } from './scope.js';
import { isPlainObject, Reference, Sensitive } from './values.js';

export { parseHcl } from './reader.js';

/** One parsed `.tf` or `.tfvars` file: its value tree (attributes as `Expr`s or hcl2json values) and positions. */
export interface HclFile {
  readonly file: string;
  readonly text: string;
  readonly body: Record<string, unknown>;
  readonly blocks: BlockNode;
}

/**
 * A value as the rules see it: sensitive marks removed (their paths kept, so reports can hide them) and references
 * to resource ids turned into the reference's text, since a reference to another resource counts as set
 * (RULES.md); references to other attributes stay unknown.
 */
export function settle(value: unknown): { value: unknown; sensitive: Path[] } {
  const sensitive: Path[] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (v instanceof Sensitive) {
      sensitive.push(path);
      return v.value;
    }
    if (v instanceof Reference) return v.isId ? v.expression : v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  return { value: walk(value, []), sensitive };
}

/** A block of an HCL file read through a scope: attributes evaluated, positions from the scanner. */
export class HclBody implements TfBody {
  private readonly evaluated = new Map<string, unknown>();

  constructor(
    private readonly values: Record<string, unknown>,
    private readonly node: BlockNode | undefined,
    readonly scope: Scope,
  ) {}

  /** The attribute as evaluated: references and sensitive marks still in it; undefined when absent. */
  value(name: string): unknown {
    if (!Object.hasOwn(this.values, name)) return undefined;
    if (!this.evaluated.has(name)) this.evaluated.set(name, evaluate(this.values[name], this.scope));
    return this.evaluated.get(name);
  }

  attr(name: string): unknown {
    const value = settle(this.value(name)).value;
    return value === null ? undefined : value;
  }

  /** Where inside the attribute's value sensitive parts are (`[]` for the whole value). */
  sensitive(name: string): Path[] {
    return settle(this.value(name)).sensitive;
  }

  /** The raw (unevaluated) attribute. */
  raw(name: string): unknown {
    return this.values[name];
  }

  /** The blocks named `name`, and the content of `dynamic "name"` blocks whose `for_each` is known. */
  blocks(name: string): HclBody[] {
    const found = records(this.values[name]).map(
      (item, i) => new HclBody(item, childBlock(this.node, name, i), this.scope),
    );
    for (const { dynamic, node } of this.dynamics(name)) {
      const entries = forEachEntries(evaluate(dynamic.for_each, this.scope));
      if (entries instanceof Unresolved) continue;
      const iterator = expressionText(dynamic.iterator) ?? literalName(dynamic.iterator) ?? name;
      const content = records(dynamic.content)[0] ?? {};
      const contentNode = childBlock(node, 'content');
      for (const [key, value] of entries) {
        found.push(new HclBody(content, contentNode, new IteratorScope(this.scope, iterator, key, value)));
      }
    }
    return found;
  }

  /** Set when `dynamic "name"` blocks iterate over a value only Terraform knows: whether the block exists is unknown. */
  unknownBlock(name: string): Unresolved | undefined {
    for (const { dynamic } of this.dynamics(name)) {
      const entries = forEachEntries(evaluate(dynamic.for_each, this.scope));
      if (entries instanceof Unresolved) return entries;
    }
    return undefined;
  }

  where(name?: string): Position | undefined {
    if (name === undefined) return this.node?.at;
    return (
      this.node?.attributes.get(name) ??
      childBlock(this.node, name)?.at ??
      this.node?.blocks.find((b) => b.type === 'dynamic' && b.labels[0] === name)?.at
    );
  }

  private dynamics(name: string): { dynamic: Record<string, unknown>; node: BlockNode | undefined }[] {
    const dynamic = this.values.dynamic;
    if (!isPlainObject(dynamic)) return [];
    const nodes = this.node?.blocks.filter((b) => b.type === 'dynamic' && b.labels[0] === name) ?? [];
    return records(dynamic[name]).map((d, i) => ({ dynamic: d, node: nodes[i] }));
  }
}

function literalName(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z_][\w-]*$/.test(value) ? value : undefined;
}

function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject);
}

export { Expr };
