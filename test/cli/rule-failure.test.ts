import { describe, expect, it, vi } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { defineRule } from '../../src/model/rule.js';
import { runMain } from '../support/cli.js';

// The real catalog plus one rule that throws on every input, as a bug in a rule would.
vi.mock('../../src/rules/index.js', async (original) => {
  const real = (await original()) as { RULES: readonly unknown[] };
  const broken = defineRule({
    meta: { id: 'test/broken', title: 'Broken', severity: 'low', seed: '', refs: {}, remediation: {} },
    check: () => {
      throw new Error('boom\u001b[2J');
    },
  });
  return { ...real, RULES: [...real.RULES, broken] };
});

describe('a rule that throws', () => {
  it('makes the scan exit 2 with a line naming the rule, even when nothing else fails', async () => {
    const run = await runMain(['scan', 'examples/demo', '--fail-on', 'none', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'aksguard: rule test/broken: the rule failed and could not judge this scan (boom\\u001b[2J); please report it\n',
    );
    // The report is still written, and keeps the failure.
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.summary.errors).toBe(1);
    expect(report.findings.find((f) => f.ruleId === 'test/broken')).toMatchObject({ target: '*', unknown: true });
  });

  it('the text report says the scan is incomplete, not that it passed', async () => {
    const run = await runMain(['scan', 'examples/demo', '--fail-on', 'none']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/INCOMPLETE \(1 rule failed\)(, \d+ undecided)?\n$/);
    expect(run.stdout).not.toMatch(/— pass/);
  });
});
