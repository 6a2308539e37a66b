import { SENSITIVE } from '../model/provenance.js';
import { field, isRecord, text } from '../model/settings.js';
import { Unresolved } from '../model/unresolved.js';
import { Budget, copyArray, evaluateDeep, type Scope } from './arm-expression.js';

/**
 * The parameters and variables of one template: a parameter takes the value passed to it (by an outer template),
 * else its default, else null when it is `nullable`; otherwise it is unknown. Each is evaluated once, so a
 * parameter without a value is one and the same Unresolved wherever it is used (names built from it match).
 */
export class TemplateScope implements Scope {
  private readonly cache = new Map<string, unknown>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly template: Record<string, unknown>,
    private readonly provided: ReadonlyMap<string, unknown>,
    readonly budget: Budget,
  ) {}

  copyIndex(): undefined {
    return undefined;
  }

  /**
   * A nested deployment of this template, by its name or (languageVersion 2.0) its symbolic name:
   * `{ outputs: { x: { value } } }` as `reference()` returns it.
   */
  deployment(name: string): unknown {
    return this.memo(`[reference('${name}')]`, () => {
      const resources = field(this.template, 'resources');
      const entries = Array.isArray(resources)
        ? [...resources.entries()]
        : Object.entries(isRecord(resources) ? resources : {});
      for (const [key, resource] of entries) {
        if (!isRecord(resource) || field(resource, 'copy') !== undefined) continue;
        if (String(field(resource, 'type')).toLowerCase() !== 'microsoft.resources/deployments') continue;
        const own = key === name ? name : evaluateDeep(field(resource, 'name'), this);
        if (typeof own !== 'string' || own.toLowerCase() !== name.toLowerCase()) continue;
        const props = field(resource, 'properties');
        const template = field(props, 'template');
        if (!isRecord(props) || !isRecord(template)) return undefined;
        const scope = nestedScope(props, template, this);
        const outputs = Object.entries(
          isRecord(field(template, 'outputs')) ? (field(template, 'outputs') as object) : {},
        );
        return {
          outputs: Object.fromEntries(
            outputs.map(([key, output]) => [key, { value: evaluateDeep(field(output, 'value'), scope) }]),
          ),
        };
      }
      return undefined;
    });
  }

  parameter(name: string): unknown {
    const expression = `[parameters('${name}')]`;
    return this.memo(expression, () => {
      const definition = field(field(this.template, 'parameters'), name);
      if (definition === undefined && !this.provided.has(name.toLowerCase()))
        return new Unresolved(expression, `parameter '${name}' is not declared`);
      const value = this.given(name, definition);
      return this.isSecure(definition) ? redacted(value) : value;
    });
  }

  variable(name: string): unknown {
    const expression = `[variables('${name}')]`;
    const variables = field(this.template, 'variables');
    const loop = copyLoop(variables, name);
    if (loop) return this.memo(expression, () => copyArray(loop, this));
    const value = field(variables, name);
    if (value === undefined) return new Unresolved(expression, `variable '${name}' is not defined`);
    return this.memo(expression, () => evaluateDeep(value, this));
  }

  private given(name: string, definition: unknown): unknown {
    const given = this.provided.get(name.toLowerCase());
    if (given !== undefined && given !== null) return given;
    const fallback = field(definition, 'defaultValue');
    if (fallback !== undefined) return evaluateDeep(fallback, this);
    if (given === null || this.declared(definition, 'nullable') === true) return null;
    return new Unresolved(`[parameters('${name}')]`, `parameter '${name}' has no default value`);
  }

  private isSecure(definition: unknown): boolean {
    const type = this.declared(definition, 'type');
    return typeof type === 'string' && /^secure(string|object)$/i.test(type);
  }

  /** A key of a parameter's declaration, or of the user-defined type (`$ref: #/definitions/x`) it refers to. */
  private declared(definition: unknown, key: string): unknown {
    const own = field(definition, key);
    if (own !== undefined) return own;
    const ref = field(definition, '$ref');
    const name = typeof ref === 'string' ? /^#\/definitions\/(.+)$/.exec(ref)?.[1] : undefined;
    return name === undefined ? undefined : field(field(field(this.template, 'definitions'), name), key);
  }

  private memo(expression: string, compute: () => unknown): unknown {
    const key = expression.toLowerCase();
    if (this.cache.has(key)) return this.cache.get(key);
    if (this.busy.has(key)) return new Unresolved(expression, 'defined in terms of itself');
    if (this.budget.depth >= Budget.MAX_DEPTH) {
      return new Unresolved(
        expression,
        `defined through more than ${Budget.MAX_DEPTH} other variables or parameters, aksguard's budget`,
      );
    }
    this.busy.add(key);
    this.budget.depth++;
    let value: unknown;
    try {
      value = compute();
    } finally {
      this.budget.depth--;
      this.busy.delete(key);
    }
    this.cache.set(key, value);
    return value;
  }
}

/** A variable defined by a copy loop: `"variables": { "copy": [{ "name": "x", "count": 3, "input": … }] }`. */
function copyLoop(variables: unknown, name: string): Record<string, unknown> | undefined {
  const loops = field(variables, 'copy');
  if (!Array.isArray(loops)) return undefined;
  return loops.find(
    (loop): loop is Record<string, unknown> =>
      isRecord(loop) && String(field(loop, 'name')).toLowerCase() === name.toLowerCase(),
  );
}

/** A secure value with every non-empty text and number in it replaced, its shape (and booleans) kept. */
export function redacted(value: unknown): unknown {
  // An empty secret reveals nothing, and '' must stay "not set" for the rules.
  if (value === null || value === undefined || value === '' || typeof value === 'boolean') return value;
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) return value.map(redacted);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v)]));
  return SENSITIVE;
}

/** The scope of a nested deployment's inline template: its own (inner) with the parameters passed, or the outer one. */
export function nestedScope(props: Record<string, unknown>, template: Record<string, unknown>, outer: Scope): Scope {
  const inner = text(field(field(props, 'expressionEvaluationOptions'), 'scope'))?.toLowerCase() === 'inner';
  return inner ? new TemplateScope(template, passed(field(props, 'parameters'), outer), outer.budget) : outer;
}

/** The values a nested deployment passes to its inner template's parameters, evaluated in the outer scope. */
function passed(parameters: unknown, scope: Scope): Map<string, unknown> {
  const values = new Map<string, unknown>();
  if (!isRecord(parameters)) return values;
  for (const [name, entry] of Object.entries(parameters)) {
    const given = typeof entry === 'string' ? evaluateDeep(entry, scope) : entry;
    const unknown = (reason: string) => new Unresolved(`[parameters('${name}')]`, reason);
    if (given instanceof Unresolved) values.set(name.toLowerCase(), given);
    else if (!isRecord(given)) values.set(name.toLowerCase(), unknown('passed in a form aksguard does not read'));
    else if (field(given, 'reference') !== undefined)
      values.set(name.toLowerCase(), unknown('a Key Vault secret, read at deployment time'));
    else if (field(given, 'value') !== undefined) {
      const value = field(given, 'value');
      values.set(name.toLowerCase(), typeof entry === 'string' ? value : evaluateDeep(value, scope));
    }
  }
  return values;
}
