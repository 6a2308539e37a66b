/**
 * A value the input does not let us know, e.g. an ARM expression `[parameters('x')]` with no default or a
 * Terraform variable without a value. Rules must neither pass nor fail on it: they report it as `unknown`.
 */
export class Unresolved {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {}

  toString(): string {
    return this.expression;
  }
}

export function containsUnresolved(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) return value.find((item): item is Unresolved => item instanceof Unresolved);
  return undefined;
}
