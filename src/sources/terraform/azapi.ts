import { formatPath, overlaps, type Path, type Position, type SourceDoc } from '../../model/provenance.js';
import { isRecord } from '../../model/settings.js';
import { Unresolved } from '../../model/unresolved.js';
import { LineIndex } from '../parse/lines.js';
import { type HclBody, settle } from './hcl.js';

export type AzapiKind = 'cluster' | 'pool' | 'maintenance';

const KINDS: Record<string, AzapiKind> = {
  'microsoft.containerservice/managedclusters': 'cluster',
  'microsoft.containerservice/managedclusters/agentpools': 'pool',
  'microsoft.containerservice/managedclusters/maintenanceconfigurations': 'maintenance',
};

/** `type = "Microsoft.ContainerService/managedClusters@2024-05-01"` → its kind and API version. */
export function azapiType(body: HclBody): { kind: AzapiKind; apiVersion: string | undefined } | undefined {
  const type = body.attr('type');
  if (typeof type !== 'string') return undefined;
  const [name, apiVersion] = type.split('@');
  const kind = KINDS[(name ?? '').toLowerCase()];
  return kind ? { kind, apiVersion } : undefined;
}

/**
 * An azapi_resource's `body` (an HCL object or `jsonencode(…)`, already in the ARM shape) as the ARM resource,
 * with `name` and `type` beside it, and where its sensitive parts are. A body that is unknown as a whole is kept
 * as the `properties` value, so every setting read from it is unknown.
 */
export function azapiResource(body: HclBody, type: string): { value: Record<string, unknown>; sensitive: Path[] } {
  const { value: content, sensitive } = settle(body.value('body'));
  const resource: Record<string, unknown> = isRecord(content) ? { ...content } : {};
  if (content instanceof Unresolved) resource.properties = content;
  const name = body.attr('name');
  if (name !== undefined) resource.name = name;
  resource.type = type;
  return { value: resource, sensitive };
}

/**
 * Locates paths inside an azapi body: the line of the last key of the path that occurs after the `body`
 * attribute within the resource block, else the `body` line, else the block's.
 */
export class AzapiDoc implements SourceDoc {
  private readonly lines: LineIndex;

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly block: Position | undefined,
    private readonly bodyAt: Position | undefined,
    private readonly secrets: readonly Path[] = [],
  ) {
    this.lines = new LineIndex(text);
  }

  sensitive(path: Path): boolean {
    return this.secrets.some((secret) => overlaps(secret, path));
  }

  locate(path: Path): Position | undefined {
    const from = this.offset(this.bodyAt);
    if (from === undefined) return this.block;
    const end = this.text.indexOf('\nresource ', from);
    const region = this.text.slice(from, end === -1 ? undefined : end);
    for (let i = path.length - 1; i >= 0; i--) {
      const key = path[i];
      if (typeof key !== 'string' || key === 'properties') continue;
      const match = new RegExp(`["\\s{,]${key.replace(/[^\w]/g, '')}"?\\s*[=:]`, 'i').exec(region);
      if (match) return this.lines.position(from + match.index + 1);
    }
    return this.bodyAt ?? this.block;
  }

  describe(path: Path): string {
    return `body.${formatPath(path)}`;
  }

  private offset(position: Position | undefined): number | undefined {
    if (!position) return undefined;
    let offset = 0;
    for (let line = 1; line < position.line; line++) {
      offset = this.text.indexOf('\n', offset) + 1;
      if (offset === 0) return undefined;
    }
    return offset + position.column - 1;
  }
}
