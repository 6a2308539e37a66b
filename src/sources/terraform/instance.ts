import { Unresolved } from '../../model/unresolved.js';
import { evaluate } from './expression.js';
import type { HclFile } from './hcl.js';
import { instances, ModuleScope } from './scope.js';
import type { CallNode, ModuleNode, Note } from './tree.js';
import { type Budget, LIMITS } from './values.js';

/** Module block arguments that are not input variables. */
const META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

interface Shared {
  readonly budget: Budget;
  /** Module instances made so far in this root module: bounded, since calls can fan out at every level. */
  made: number;
}

interface Expansion {
  readonly instances: { suffix: string; module: ModuleInstance }[];
  /** `module.NAME` as a value: the outputs, or a list or map of them. */
  readonly value: unknown;
  readonly note?: Note;
}

/**
 * One instance of a module: its scope (variables from the call's arguments), and the instances of the modules it
 * calls, expanded on first use, whether by a `module.x.output` reference or by walking every module.
 */
export class ModuleInstance {
  readonly scope: ModuleScope;
  readonly address: string;
  /** Set when whether this module instance exists depends on a value only Terraform knows. */
  readonly unknown: Unresolved | undefined;
  /**
   * The root module's file whose `module` block leads here (undefined at the root): what a cluster made by a
   * called module is reported under, so two roots calling one module give two targets, each under its caller.
   */
  readonly origin: string | undefined;
  private readonly shared: Shared;
  private readonly expansions = new Map<string, Expansion | 'busy'>();

  constructor(
    readonly node: ModuleNode,
    options: {
      address: string;
      budget: Budget;
      tfvars?: readonly HclFile[];
      inputs?: ReadonlyMap<string, () => unknown>;
      shared?: Shared;
      unknown?: Unresolved | undefined;
      origin?: string;
    },
  ) {
    this.address = options.address;
    this.unknown = options.unknown;
    this.origin = options.origin;
    this.shared = options.shared ?? { budget: options.budget, made: 1 };
    this.scope = new ModuleScope({
      files: node.files.tf,
      ...(options.tfvars ? { tfvars: options.tfvars } : {}),
      ...(options.inputs ? { inputs: options.inputs } : {}),
      address: options.address,
      folder: node.files.folder,
      budget: options.budget,
      modules: (name) => this.moduleValue(name),
    });
  }

  /** This instance and every module instance below it. */
  all(): ModuleInstance[] {
    return [this, ...this.node.calls.flatMap((call) => this.expand(call).instances.flatMap((i) => i.module.all()))];
  }

  /** Why calls of this instance were not followed. */
  notes(): Note[] {
    return this.node.calls.flatMap((call) => {
      const note = call.note ?? this.expand(call).note;
      return note ? [note] : [];
    });
  }

  private moduleValue(name: string): unknown {
    const call = this.node.calls.find((c) => c.name === name);
    return call ? this.expand(call).value : undefined;
  }

  private expand(call: CallNode): Expansion {
    const done = this.expansions.get(call.name);
    if (done === 'busy') return unknownCall(call, 'its count or for_each depends on its own outputs');
    if (done) return done;
    this.expansions.set(call.name, 'busy');
    const expansion = this.instancesOf(call);
    this.expansions.set(call.name, expansion);
    return expansion;
  }

  private instancesOf(call: CallNode): Expansion {
    if (!call.child) return unknownCall(call, 'a module aksguard does not read (not a local folder)');
    const expanded = instances(call.raw, this.scope);
    if (this.shared.made + expanded.instances.length > LIMITS.instances) {
      const reason = `more module instances than aksguard's limit of ${LIMITS.instances}; not followed`;
      return {
        ...unknownCall(call, reason),
        note: { file: call.file.file, reason: `module "${call.name}": ${reason}` },
      };
    }
    this.shared.made += expanded.instances.length;
    const child = call.child;
    const made = expanded.instances.map(({ scope, suffix }) => {
      const inputs = new Map<string, () => unknown>();
      for (const [name, value] of Object.entries(call.raw)) {
        if (!META.has(name)) inputs.set(name, () => evaluate(value, scope));
      }
      const module = new ModuleInstance(child, {
        address: `${this.address}module.${call.name}${suffix}.`,
        budget: this.shared.budget,
        inputs,
        shared: this.shared,
        unknown: expanded.unknown ?? this.unknown,
        origin: this.origin ?? call.file.file,
      });
      return { suffix, module };
    });
    const outputs = made.map((m) => m.module.scope.outputValues());
    let value: unknown = outputs[0];
    if (expanded.unknown) value = expanded.unknown;
    else if (Object.hasOwn(call.raw, 'count')) value = outputs;
    else if (Object.hasOwn(call.raw, 'for_each')) {
      value = Object.fromEntries(made.map((m, i) => [JSON.parse(m.suffix.slice(1, -1)), outputs[i]]));
    }
    return { instances: made, value };
  }
}

function unknownCall(call: CallNode, reason: string): Expansion {
  return { instances: [], value: new Unresolved(`module.${call.name}`, reason) };
}
