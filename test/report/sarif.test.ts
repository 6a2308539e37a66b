import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import AjvModule from 'ajv-draft-04';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { ruleDocsUrl } from '../../src/report/docs.js';
import { artifactLocation } from '../../src/report/sarif.js';
import { RULES } from '../../src/rules/index.js';
import { CORPUS, ROOT, runMain } from '../support/cli.js';
import { filesUnder } from '../support/corpus.js';
import { describeWith } from '../support/layer.js';
import { has } from '../support/prerequisites.js';

/** The official SARIF 2.1.0 schema (draft-04), as @microsoft/jest-sarif ships it. */
const schema = JSON.parse(
  readFileSync(join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
// The schema's `language` pattern is not valid in unicode mode; its uri formats are not checked here.
// CommonJS default export: under NodeNext the class is the module's `default`.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(
  schema,
);

/** Every input file of the corpus (its two notes files are not inputs). */
const corpusFiles = has('corpus') ? filesUnder(CORPUS, ['.json', '.yaml', '.yml', '.tf', '.bicep']) : [];

async function sarifOf(...args: string[]): Promise<{ code: number; log: Sarif.Log; stderr: string }> {
  const run = await runMain(['scan', ...args, '--format', 'sarif', '--as-of', '2026-11-28']);
  return { code: run.code ?? -1, log: run.code === 2 ? ({} as Sarif.Log) : JSON.parse(run.stdout), stderr: run.stderr };
}

function expectValid(log: Sarif.Log): void {
  const ok = validate(log);
  expect(ok ? [] : validate.errors?.slice(0, 5)).toEqual([]);
}

describe('SARIF 2.1.0', () => {
  it('the demo validates, lists every rule with help, severity score and tags, and points results at lines', async () => {
    const { code, log } = await sarifOf('examples/demo');
    expect(code).toBe(1);
    expectValid(log);
    const run = log.runs[0] as Sarif.Run;
    const rules = run.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id).sort());
    for (const rule of rules) {
      // Derived from package.json (test/release/home.test.ts): here the page shipped in the package.
      expect(rule.helpUri).toBe(ruleDocsUrl(rule.id));
      expect(rule.helpUri).toMatch(/^(https|file):\/\/.+\/docs\/rules\/[a-z-]+\/[a-z0-9-]+\.md$/);
      expect(rule.shortDescription?.text).toBeTruthy();
      expect(Number(rule.properties?.['security-severity'])).toBeGreaterThanOrEqual(0);
      expect(rule.properties?.tags).toContain('security');
    }
    const results = run.results ?? [];
    expect(results.length).toBe(15);
    const authorized = results.find((r) => r.ruleId === 'control-plane/authorized-ranges-too-broad');
    expect(authorized?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'examples/demo/prod-weu.json', uriBaseId: '%SRCROOT%' },
      region: { startLine: 101, startColumn: 28 },
    });
    expect(authorized?.level).toBe('error');
    expect(rules[authorized?.ruleIndex ?? -1]?.id).toBe(authorized?.ruleId);
  });

  it('a suppressed finding stays as a result with its suppression', async () => {
    const { log } = await sarifOf('examples/demo', '--config', 'test/report/fixtures/suppress-local-accounts.yaml');
    expectValid(log);
    const result = log.runs[0]?.results?.find((r) => r.ruleId === 'identity/local-accounts-enabled');
    expect(result?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'config: break-glass access until Entra groups land' },
    ]);
  });

  it('names the run for code scanning and its files relative to the working directory when they lie under it', async () => {
    const { log } = await sarifOf(join(ROOT, 'examples/demo'));
    expectValid(log);
    const run = log.runs[0] as Sarif.Run;
    expect(run.automationDetails).toEqual({ id: 'aksguard/scan/2026-11-28T00:00:00.000Z' });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: pathToFileURL(ROOT).href } });
    const uris = new Set(run.results?.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation));
    expect([...uris]).toContainEqual({ uri: 'examples/demo/prod-weu.json', uriBaseId: '%SRCROOT%' });
    const framework = await sarifOf('examples/demo', '--framework', 'cis-aks,mcsb');
    expect(framework.log.runs[0]?.automationDetails?.id).toBe('aksguard/cis-aks+mcsb/2026-11-28T00:00:00.000Z');
  });

  it('an input outside the working directory is an absolute file:// URI; one that is no path stays a name', () => {
    const cwd = '/work/repo';
    expect(artifactLocation('infra/main.tf', cwd)).toEqual({ uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./infra/a b#1.tf', cwd)).toEqual({ uri: 'infra/a%20b%231.tf', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/work/repo/infra/main.tf', cwd)).toEqual({ uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/work/repository/main.tf', cwd)).toEqual({ uri: 'file:///work/repository/main.tf' });
    expect(artifactLocation('../shared/x.json', cwd)).toEqual({ uri: 'file:///work/shared/x.json' });
    expect(artifactLocation('<stdin>', cwd)).toEqual({ uri: '%3Cstdin%3E' });
  });

  it('the schema check can fail', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});

describeWith('corpus')('SARIF 2.1.0 of every third-party corpus file', () => {
  it(`found the corpus (${corpusFiles.length} input files)`, () =>
    expect(corpusFiles.length).toBeGreaterThanOrEqual(70));
  for (const file of corpusFiles) {
    it(`corpus ${relative(CORPUS, file)} validates`, async () => {
      const { code, log, stderr } = await sarifOf(file);
      // A Bicep file needs the bicep compiler; without it the scan stops with exit 2 and nothing to validate. So
      // does a file that only mentions a cluster (its upgrade profile or maintenance schedule): nothing is judged.
      if (code === 2) {
        expect(file.endsWith('.bicep') ? stderr : `exit 2: ${stderr}`).toMatch(/bicep|no AKS cluster found/i);
        return;
      }
      expectValid(log);
      for (const result of log.runs[0]?.results ?? []) {
        const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
        // A .tf file is read with its module folder, so results may point at a sibling file.
        if (uri !== undefined) expect(uri.startsWith(pathToFileURL(CORPUS).href)).toBe(true);
      }
    });
  }
});
