import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { RULES } from '../../src/rules/index.js';
import { ROOT, runMain } from '../support/cli.js';

const DEMO = 'examples/demo';
const dir = mkdtempSync(join(tmpdir(), 'aksguard-flags-'));
const isJson = (text: string) => (JSON.parse(text) as ScanResult).schemaVersion === 1;

/** Commander reads AKSGUARD_* from process.env: set them for one test, and leave none behind. */
const setEnv = (values: Record<string, string>) => Object.assign(process.env, values);
afterEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('AKSGUARD_')) delete process.env[name];
});

describe('--format and --output, as commander reads them', () => {
  it.each([[['-fjson']], [['-f', 'JSON']], [['--format=Json']], [['--format', 'json']]])(
    '%j prints the JSON report',
    async (flags) => {
      const run = await runMain(['scan', DEMO, ...flags]);
      expect(run.code).toBe(1);
      expect(isJson(run.stdout)).toBe(true);
    },
  );

  it('pairs each --output with the --format before it, in any spelling', async () => {
    const json = join(dir, 'r.json');
    const sarif = join(dir, 'r.sarif');
    const text = join(dir, 'r.txt');
    const run = await runMain(['scan', DEMO, `-o${text}`, '-fjson', `--output=${json}`, '-f', 'SARIF', '-o', sarif]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(readFileSync(text, 'utf8')).toMatch(/prod-weu/);
    expect(isJson(readFileSync(json, 'utf8'))).toBe(true);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
  });

  it('refuses an unknown format, and two formats on stdout, with one line', async () => {
    const xml = await runMain(['scan', DEMO, '-f', 'xml']);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toBe(
      "error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif, junit, markdown, html (in any case).\n",
    );
    const two = await runMain(['scan', DEMO, '-f', 'json', '-f', 'text']);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe('aksguard: only one --format can go to stdout; give the others an --output file\n');
  });
});

describe('AKSGUARD_<FLAG> environment variables', () => {
  it('set a flag the command line does not give; the command line wins', async () => {
    setEnv({ AKSGUARD_FAIL_ON: 'none', AKSGUARD_FORMAT: 'json', AKSGUARD_RULE: 'identity,monitoring/*' });
    const fromEnv = await runMain(['scan', DEMO]);
    expect(fromEnv.code).toBe(0);
    const report = JSON.parse(fromEnv.stdout) as ScanResult;
    const domains = (id: string) => id.split('/')[0] as string;
    expect(report.summary.rulesRun).toBe(
      RULES.filter((r) => ['identity', 'monitoring'].includes(domains(r.meta.id))).length,
    );
    expect(report.findings.every((f) => ['identity', 'monitoring'].includes(domains(f.ruleId)))).toBe(true);
    const overridden = await runMain(['scan', DEMO, '--fail-on', 'HIGH', '-f', 'text', '--rule', 'identity']);
    expect(overridden.code).toBe(1);
    expect(overridden.stdout).toMatch(/identity\/local-accounts-enabled/);
    expect(overridden.stdout).not.toMatch(/monitoring\//);
  });

  it('AKSGUARD_OUTPUT pairs with AKSGUARD_FORMAT; a flag is off for 0, false, no, off', async () => {
    const out = join(dir, 'env.json');
    setEnv({ AKSGUARD_FORMAT: 'json', AKSGUARD_OUTPUT: out, AKSGUARD_FAIL_ON_UNDECIDED: 'false' });
    const run = await runMain(['scan', DEMO, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(isJson(readFileSync(out, 'utf8'))).toBe(true);
    setEnv({ AKSGUARD_FAIL_ON_UNDECIDED: '1', AKSGUARD_OUTPUT: join(dir, 'env2.json') });
    const undecided = JSON.parse(readFileSync(out, 'utf8')) as ScanResult;
    expect((await runMain(['scan', DEMO, '--fail-on', 'none'])).code).toBe(undecided.summary.undecided > 0 ? 1 : 0);
  });

  it('a bad value is refused like the same value on the command line', async () => {
    setEnv({ AKSGUARD_FAIL_ON: 'severe' });
    const run = await runMain(['scan', DEMO]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: option '--fail-on <severity>' value 'severe' from env 'AKSGUARD_FAIL_ON' is invalid. Allowed choices are critical, high, medium, low, info, none (in any case).\n",
    );
  });
});

describe('scan: in aksguard.config.yaml', () => {
  it('sets defaults under the environment and the command line', async () => {
    const config = join(dir, 'aksguard.config.yaml');
    writeFileSync(config, 'scan:\n  failOn: none\n  rule: [identity]\n');
    const fromConfig = await runMain(['scan', DEMO, '--config', config, '-fjson']);
    expect(fromConfig.code).toBe(0);
    expect((JSON.parse(fromConfig.stdout) as ScanResult).findings.every((f) => f.ruleId.startsWith('identity/'))).toBe(
      true,
    );
    setEnv({ AKSGUARD_FAIL_ON: 'high' });
    expect((await runMain(['scan', DEMO, '--config', config])).code).toBe(1);
    expect((await runMain(['scan', DEMO, '--config', config, '--fail-on', 'none'])).code).toBe(0);
  });

  it('the schema offers only names of scan options, and their values are checked', async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/aksguard.config.schema.json'), 'utf8'));
    const help = (await runMain(['scan', '--help'])).stdout;
    const attributes = [...help.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) =>
      (m[1] as string).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
    );
    expect(attributes).toEqual(expect.arrayContaining(Object.keys(schema.properties.scan.properties)));
    const config = join(dir, 'bad.config.yaml');
    writeFileSync(config, 'scan:\n  rule: [identity/typo]\n');
    const run = await runMain(['scan', DEMO, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${config}:2: scan.rule: unknown rule 'identity/typo' (run \`aksguard rules\` for the list)\n`,
    );
  });
});

describe('--help', () => {
  it('names the variable of every scan option, shows the Azure options, and each default once', async () => {
    const raw = (await runMain(['scan', '--help'])).stdout;
    const help = raw.replace(/\s+/g, ' ');
    const longs = [...raw.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1] as string);
    expect(longs.length).toBeGreaterThan(25);
    expect(longs).toEqual(expect.arrayContaining(['--arm-endpoint', '--azure-concurrency', '--fail-on', '--no-color']));
    for (const long of longs.filter((l) => l !== '--help'))
      expect(help).toContain(`AKSGUARD_${long.slice(2).replaceAll('-', '_').toUpperCase()})`);
    for (const command of [['scan'], ['baseline', 'create'], ['nodes', 'status'], ['patch', 'plan'], ['rules']]) {
      const text = (await runMain([...command, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(text, command.join(' ')).not.toMatch(/\(default[^)]*\) \(default/);
      expect(text, command.join(' ')).not.toMatch(/default: \[\]/);
    }
  });
});
