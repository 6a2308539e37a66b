import { InputError } from '../../model/errors.js';
import type { Position } from '../../model/provenance.js';
import { Unresolved } from '../../model/unresolved.js';
import type { TfBody } from './arm-shape.js';
import { type BlockNode, childBlock, scanBlocks } from './blocks.js';
import { evaluate, type Scope } from './expression.js';
import { IteratorScope } from './scope.js';

/** One parsed `.tf` or `.tfvars` file: hcl2json's value tree and the scanner's positions. */
export interface HclFile {
  readonly file: string;
  readonly text: string;
  readonly body: Record<string, unknown>;
  readonly blocks: BlockNode;
}

/** Parses HCL with `@cdktf/hcl2json`; a syntax error becomes `file:line:column: message` (exit 2). */
export async function parseHcl(file: string, text: string): Promise<HclFile> {
  // Loaded on first use: instantiating its WebAssembly costs every scan 250 ms of start-up, Terraform or not.
  const { parse } = await import('@cdktf/hcl2json');
  let body: Record<string, unknown>;
  try {
    body = (await parse(file, text)) as Record<string, unknown>;
  } catch (error) {
    throw syntaxError(file, error instanceof Error ? error.message : String(error));
  }
  return { file, text, body, blocks: scanBlocks(text) };
}

/** hcl2json reports `parse config: [main.tf:2,7-3,1: Invalid expression; Expected the start of …]`. */
function syntaxError(file: string, message: string): InputError {
  const match = /:(\d+),(\d+)(?:-[\d,]+)?: ([^;\]]+)(?:; ([^\]]*))?/.exec(message);
  if (!match) return new InputError(file, `not valid HCL: ${message.replace(/\s+/g, ' ').slice(0, 300)}`);
  const detail = match[4] ? `: ${match[4].trim()}` : '';
  return new InputError(
    file,
    `${(match[3] as string).trim()}${detail}`.replace(/\s+/g, ' '),
    Number(match[1]),
    Number(match[2]),
  );
}

/** A block of an HCL file read through a scope: attributes evaluated, positions from the scanner. */
export class HclBody implements TfBody {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly node: BlockNode | undefined,
    private readonly scope: Scope,
  ) {}

  attr(name: string): unknown {
    if (!Object.hasOwn(this.values, name)) return undefined;
    const value = evaluate(this.values[name], this.scope);
    return value === null ? undefined : value;
  }

  /** The raw (unevaluated) attribute, for references such as `azurerm_kubernetes_cluster.k8s.id`. */
  raw(name: string): unknown {
    return this.values[name];
  }

  /** The blocks named `name`, and the content of `dynamic "name"` blocks whose `for_each` is known. */
  blocks(name: string): HclBody[] {
    const found = records(this.values[name]).map(
      (item, i) => new HclBody(item, childBlock(this.node, name, i), this.scope),
    );
    for (const { dynamic, node } of this.dynamics(name)) {
      const items = forEachItems(evaluate(dynamic.for_each, this.scope));
      if (!items) continue;
      const iterator = typeof dynamic.iterator === 'string' ? dynamic.iterator : name;
      const content = records(dynamic.content)[0] ?? {};
      const contentNode = childBlock(node, 'content');
      for (const [key, value] of items) {
        found.push(new HclBody(content, contentNode, new IteratorScope(this.scope, iterator, key, value)));
      }
    }
    return found;
  }

  unknownBlock(name: string): Unresolved | undefined {
    for (const { dynamic } of this.dynamics(name)) {
      const each = evaluate(dynamic.for_each, this.scope);
      if (!forEachItems(each)) {
        const reason = each instanceof Unresolved ? each.reason : 'for_each is not a list or map';
        return new Unresolved(`dynamic "${name}"`, `whether the block exists depends on ${String(each)}: ${reason}`);
      }
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
    if (dynamic === null || typeof dynamic !== 'object' || Array.isArray(dynamic)) return [];
    const nodes = this.node?.blocks.filter((b) => b.type === 'dynamic' && b.labels[0] === name) ?? [];
    return records((dynamic as Record<string, unknown>)[name]).map((d, i) => ({ dynamic: d, node: nodes[i] }));
  }

  withScope(scope: Scope): HclBody {
    return new HclBody(this.values, this.node, scope);
  }
}

function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item),
  );
}

/** A known `for_each` as (key, value) pairs: list items keyed by index, map entries by key. */
function forEachItems(value: unknown): [unknown, unknown][] | undefined {
  if (value === null) return [];
  if (Array.isArray(value)) return value.some((v) => v instanceof Unresolved) ? undefined : value.map((v, i) => [i, v]);
  if (typeof value === 'object' && !(value instanceof Unresolved)) return Object.entries(value as object);
  return undefined;
}
