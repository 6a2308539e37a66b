import type { Anchor, Fact, Tri } from '../../model/fact.js';
import type { Problem } from '../../model/rule.js';

export const problem = (at: Anchor, message: string): Problem => ({ at, message });

/**
 * Turns a three-valued outcome into what the report shows: a problem when it fails, nothing when it passes, and an
 * `unknown` problem when the input cannot tell — pointing at the first unresolved value among `inputs`, or
 * explained by `inputs` when it is a sentence.
 */
export function verdict(fails: Tri, at: Anchor, message: string, inputs: readonly Fact[] | string = []): Problem[] {
  if (fails === true) return [{ at, message }];
  if (fails === false) return [];
  const open = typeof inputs === 'string' ? undefined : inputs.find((f) => f.unresolved);
  const why =
    typeof inputs === 'string'
      ? inputs
      : open
        ? `${open.shown} (${open.unresolved?.reason})`
        : 'the input does not say';
  return [{ at: open ?? at, message: `cannot tell: ${why}. If it fails: ${message}`, unknown: true }];
}

/** `verdict` where the anchor is itself one of the deciding values. */
export const judge = (fact: Fact, fails: Tri, message: string, inputs: readonly Fact[] = []): Problem[] =>
  verdict(fails, fact, message, [fact, ...inputs]);

/** An anchor below a fact, e.g. one entry of a list. */
export const within = (at: Anchor, ...segments: (string | number)[]): Anchor => ({
  path: [...at.path, ...segments],
  doc: at.doc,
  owner: at.owner,
});
