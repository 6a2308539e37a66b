import { describe, expect, it } from 'vitest';
import { decide, inCi } from '../support/prerequisites.js';

describe('the decision for test layers that need something from outside the repository', () => {
  it('present: the layer runs', () => {
    expect(decide('chromium', undefined, false)).toEqual({});
    expect(decide('chromium', undefined, true)).toEqual({});
  });

  it('missing on a developer machine: one line naming the layer and why, and it is skipped', () => {
    expect(decide('helm', 'no helm on PATH', false)).toEqual({
      skip: 'skipped helm lint and helm template of the chart (test/deploy/helm.test.ts): no helm on PATH',
    });
  });

  it('missing under CI=true: an error, so CI never passes by skipping', () => {
    expect(decide('corpus', '/x/shared/corpus/ not found', true)).toEqual({
      error:
        "CI=true requires the third-party corpus tests (test/corpus, SARIF of every corpus file, kured's documented flags, the HCL reader on real modules), but /x/shared/corpus/ not found",
    });
  });

  it('CI is CI=true or CI=1', () => {
    expect([inCi({ CI: 'true' }), inCi({ CI: '1' }), inCi({ CI: 'false' }), inCi({})]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
