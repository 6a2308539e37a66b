import { describe, it } from 'vitest';
import { has, type Need } from './prerequisites.js';

/**
 * `describe` for the tests of a layer that needs `need`. Present: vitest's own. Missing locally: the suite is one
 * skipped entry and its body never runs (it would read what is missing). Missing under CI=true: throws.
 */
export function describeWith(need: Need): (name: string, body: () => void) => void {
  return has(need) ? describe : (name) => describe.skip(name, () => it.skip(`needs ${need}`));
}

/** `it` for one test that needs `need`, as `describeWith` decides for a suite. */
export function itWith(need: Need): (name: string, body: () => unknown) => void {
  return has(need) ? it : (name) => it.skip(name);
}
