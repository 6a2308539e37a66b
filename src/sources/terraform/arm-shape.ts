import { formatPath, overlaps, type Path, type Position, type SourceDoc } from '../../model/provenance.js';
import { Unresolved } from '../../model/unresolved.js';

/**
 * One Terraform block as the mappers read it, whatever it was read from: an HCL body (values evaluated, positions
 * from the scanner) or a plan's `values` (positions in the plan JSON). Nested blocks are lists in both.
 */
export interface TfBody {
  /** The attribute's value; undefined when absent (a plan's `null` counts as absent). */
  attr(name: string): unknown;
  blocks(name: string): TfBody[];
  /** Set when `dynamic "name"` blocks depend on a value only Terraform knows: whether the block exists is unknown. */
  unknownBlock?(name: string): Unresolved | undefined;
  /** Where inside the attribute's value sensitive parts are (`[]`: all of it); none when it has none. */
  sensitive?(name: string): Path[];
  /** Where the attribute is; the block itself without a name. */
  where(name?: string): Position | undefined;
}

interface Entry {
  readonly position: Position | undefined;
  /** How the Terraform configuration names the setting, e.g. `default_node_pool.node_public_ip_enabled`. */
  readonly attribute: string;
  /** The ARM path (from the resource root) the entry describes. */
  readonly path: Path;
  /** The value comes from a `sensitive` variable or output. */
  readonly sensitive?: boolean;
}

/**
 * The ARM-shaped settings built from one Terraform resource, and the document that maps their paths back to the
 * Terraform attribute (its line, or the resource block's line when the attribute is absent).
 */
export class ArmBuilder {
  readonly value: Record<string, unknown> = {};
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly file: string,
    private readonly block: Position | undefined,
    /** How a path no attribute sets is described: the block that would hold it (`azurerm_kubernetes_cluster.k`). */
    private readonly label = '',
  ) {}

  /** Sets `arm` (dotted, from the resource root) to the value of the first of `names` present in `body`. */
  map(arm: string, body: TfBody | undefined, names: readonly string[], options: MapOptions = {}): void {
    const prefix = options.prefix ?? '';
    const present = names.find((n) => body?.attr(n) !== undefined);
    const name = present ?? (names[0] as string);
    this.describe(arm, `${prefix}${name}`, present === undefined ? undefined : body?.where(present));
    if (present === undefined) {
      if (options.default !== undefined) this.put(arm, options.default);
      return;
    }
    const raw = body?.attr(present);
    const value = raw instanceof Unresolved || !options.convert ? raw : options.convert(raw);
    if (value !== undefined) this.put(arm, value);
    if ((body?.sensitive?.(present) ?? []).length > 0) this.markSensitive(arm);
  }

  /** Marks the setting at `arm` as coming from a sensitive value. */
  markSensitive(arm: string): void {
    const k = key(arm.split('.'));
    const entry = this.entries.get(k);
    if (entry) this.entries.set(k, { ...entry, sensitive: true });
  }

  /** Sets a value the Terraform block implies (e.g. a block's presence), located at `where`. */
  set(arm: string, value: unknown, attribute: string, where: Position | undefined): void {
    this.describe(arm, attribute, where);
    this.put(arm, value);
  }

  describe(arm: string, attribute: string, position: Position | undefined): void {
    const path = arm.split('.');
    this.entries.set(key(path), { attribute, position, path });
  }

  put(arm: string, value: unknown): void {
    const keys = arm.split('.');
    let node = this.value;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      if (next === null || typeof next !== 'object' || Array.isArray(next) || next instanceof Unresolved) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1] as string] = value;
  }

  /** Nests another builder's value (an agent pool profile from the block `attribute`) at `arm[index]`. */
  nest(arm: string, index: number, child: ArmBuilder, attribute: string): void {
    const held = arm
      .split('.')
      .reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], this.value);
    const list = Array.isArray(held) ? held : [];
    list[index] = child.value;
    this.put(arm, list);
    const at = [...arm.split('.'), index];
    for (const [k, entry] of child.entries) {
      this.entries.set(`${key(at)}.${k}`, { ...entry, path: [...at, ...entry.path] });
    }
    this.entries.set(key(at), { attribute, position: child.block, path: at });
  }

  doc(): TerraformDoc {
    return new TerraformDoc(this.file, this.block, this.entries, this.label);
  }
}

export interface MapOptions {
  /** The provider's default when the attribute is absent, in ARM terms (only where it differs from ARM's). */
  readonly default?: unknown;
  readonly convert?: (value: unknown) => unknown;
  /** The enclosing block's name for messages, e.g. `network_profile.`. */
  readonly prefix?: string;
}

const key = (path: Path): string =>
  path
    .map(String)
    .filter((k) => k !== '')
    .join('.')
    .toLowerCase();

/** Locates ARM paths of a Terraform-built value: the attribute's line, else the enclosing block's. */
export class TerraformDoc implements SourceDoc {
  constructor(
    readonly file: string,
    private readonly block: Position | undefined,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly label: string,
  ) {}

  locate(path: Path): Position | undefined {
    for (let n = path.length; n > 0; n--) {
      const position = this.entries.get(key(path.slice(0, n)))?.position;
      if (position) return position;
    }
    return this.block;
  }

  /**
   * The Terraform attribute that sets the path, or the closest block that holds it (`default_node_pool`, the
   * resource): a Terraform finding never shows an ARM path.
   */
  describe(path: Path): string {
    for (let n = path.length; n > 0; n--) {
      const entry = this.entries.get(key(path.slice(0, n)));
      if (entry?.attribute) return entry.attribute;
    }
    return this.label || formatPath(path);
  }

  sensitive(path: Path): boolean {
    for (const entry of this.entries.values()) if (entry.sensitive && overlaps(entry.path, path)) return true;
    return false;
  }
}
