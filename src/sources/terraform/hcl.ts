import { InputError } from '../../model/errors.js';
import type { Position } from '../../model/provenance.js';
import type { TfBody } from './arm-shape.js';
import { type BlockNode, childBlock, scanBlocks } from './blocks.js';
import { evaluate, type Scope } from './expression.js';

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

  blocks(name: string): HclBody[] {
    const list = this.values[name];
    if (!Array.isArray(list)) return [];
    return list.flatMap((item, i) =>
      item !== null && typeof item === 'object' && !Array.isArray(item)
        ? [new HclBody(item as Record<string, unknown>, childBlock(this.node, name, i), this.scope)]
        : [],
    );
  }

  where(name?: string): Position | undefined {
    if (name === undefined) return this.node?.at;
    return this.node?.attributes.get(name) ?? childBlock(this.node, name)?.at;
  }

  withScope(scope: Scope): HclBody {
    return new HclBody(this.values, this.node, scope);
  }
}
