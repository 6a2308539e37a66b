/** How much of an unresolved expression a message quotes (a template's may be megabytes long). */
const SHOWN_CHARS = 160;

/**
 * A value the input does not let us know, e.g. an ARM expression `[parameters('x')]` with no default or a
 * Terraform variable without a value. Rules must neither pass nor fail on it: they report it as `unknown`.
 */
export class Unresolved {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {}

  /** The expression as a message shows it: cut short when long, so a finding stays one readable line. */
  toString(): string {
    return this.expression.length > SHOWN_CHARS ? `${this.expression.slice(0, SHOWN_CHARS)}…` : this.expression;
  }
}

export function containsUnresolved(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) return value.find((item): item is Unresolved => item instanceof Unresolved);
  return undefined;
}
