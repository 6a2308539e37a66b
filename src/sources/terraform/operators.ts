import { Unresolved } from '../../model/unresolved.js';
import { same } from './functions.js';
import { firstUnknown, Reference, Sensitive, TerraformError, unmark } from './values.js';

/** HCL's operators on evaluated operands: unknown operands make the result unknown unless the known side decides. */

export function unary(op: string, operand: unknown): unknown {
  const [value, marked] = unmark(operand);
  if (value instanceof Unresolved) return value;
  let result: unknown;
  if (op === '!') result = !bool(value);
  else if (typeof value === 'number') result = -value;
  else throw new TerraformError('"-" needs a number');
  return marked ? new Sensitive(result as boolean | number) : result;
}

export function bool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TerraformError(value === null ? 'a condition is null' : 'a condition must be true or false');
}

export function operate(op: string, l: unknown, r: unknown): unknown {
  if (op === '&&' || op === '||') {
    if (r === (op === '||')) return r;
    if (l instanceof Unresolved) return l;
    if (r instanceof Unresolved) return r;
    return op === '&&' ? bool(l) && bool(r) : bool(l) || bool(r);
  }
  if (op === '==' || op === '!=') {
    const equal = equality(l, r);
    return equal instanceof Unresolved ? equal : op === '==' ? equal : !equal;
  }
  const unknown = firstUnknown(l) ?? firstUnknown(r);
  if (unknown) return unknown;
  const a = number(l);
  const b = number(r);
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new TerraformError('division by zero');
      return a / b;
    default:
      if (b === 0) throw new TerraformError('modulo by zero');
      return a % b;
  }
}

/** Whether two values are equal; unknown unless their known parts settle it (a resource id is never null). */
function equality(l: unknown, r: unknown): boolean | Unresolved {
  const unknown = firstUnknown(l) ?? firstUnknown(r);
  if (!unknown) return same(l, r);
  const other = firstUnknown(l) ? r : l;
  const subject = firstUnknown(l) ? l : r;
  if (other === null && (subject instanceof Reference || !(subject instanceof Unresolved))) return false;
  return unknown;
}

function number(value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new TerraformError('an arithmetic operand is not a number');
  return n;
}
