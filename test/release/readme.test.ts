import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runAsync } from '../support/cli.js';
import { FakeKube } from '../support/fake-kube/index.js';
import { seedSampleCluster } from '../support/fake-kube/sample-cluster.js';
import { has } from '../support/prerequisites.js';
import { toolPath } from '../support/tools.js';

/**
 * Every shell command in the README, run as written, in order, from a folder that holds the repository's examples:
 * `aksguard` is the built CLI, kubectl and helm are the real ones, and the kubeconfig points at the fake API server
 * (context `prod-weu`, a sample cluster with kured). Commands that need what this machine cannot be — Azure, a
 * cluster to change, terraform, Docker, an install — are named with the reason and where they are tested instead.
 */
interface Command {
  readonly section: string;
  readonly line: string;
}

/** Lines of the ```sh blocks, continuation lines joined and trailing comments removed. */
function readmeCommands(markdown: string): Command[] {
  const commands: Command[] = [];
  let section = '';
  for (const [, heading, block] of markdown.matchAll(/^## (.+)$|^```sh\n([\s\S]*?)^```$/gm)) {
    if (heading) section = heading;
    if (!block) continue;
    for (const line of block.replace(/\\\n\s*/g, '').split('\n')) {
      const command = line.replace(/(^|\s+)#(\s.*)?$/, '').trim();
      if (command) commands.push({ section, line: command });
    }
  }
  return commands;
}

const ELSEWHERE: readonly [RegExp, string][] = [
  [/^npm |npm install -g/, 'installs the project: test/release/install.test.ts packs and installs it'],
  [/\baz /, 'needs the Azure CLI signed in to a subscription'],
  [/--azure\b/, 'reads Azure Resource Manager: test/azure and test/patch run these flags against the ARM emulator'],
  [/\bterraform /, 'needs terraform and a saved plan'],
  [
    /\bkubectl (apply|delete|annotate)\b|\bhelm install\b/,
    'changes a cluster: test/deploy checks the same objects with kubectl and helm',
  ],
  [/\bdocker /, 'needs Docker'],
  [/(^|\| )aksguard reboot-daemon /, 'is the node daemon: it runs until stopped (test/reboot drives it)'],
];

/** Why a command does not run here, or undefined when it does. */
function elsewhere(line: string, available: (program: string) => boolean): string | undefined {
  const known = ELSEWHERE.find(([pattern]) => pattern.test(line));
  if (known) return known[1];
  const programs = line.split(/\s*(?:\|\||&&|\||;)\s*/).map((segment) => segment.split(' ')[0] as string);
  const missing = programs.find((program) => !available(program));
  return missing ? `needs ${missing}, which is not on PATH here` : undefined;
}

/** aksguard scan and nodes exit 1 when findings fail the run, which is the command working. */
const allowedCodes = (line: string) => (/(^|\| )aksguard (scan|nodes)\b[^|]*$/.test(line) ? [0, 1] : [0]);

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const HAS_TOOLS = has('kubectl') && has('helm');

describe('the README', () => {
  it('shows no command that fails today: no npx aksguard before the package is published', () => {
    const commands = readmeCommands(README);
    expect(commands.length).toBeGreaterThan(30);
    expect(commands.filter((c) => /\bnpx\b/.test(c.line))).toEqual([]);
  });

  it('splits blocks into commands (joined continuations, no comments)', () => {
    const text = '## A\n```sh\naksguard scan x \\\n  --fail-on low   # why\n\n# only a comment\n```\n';
    expect(readmeCommands(text)).toEqual([{ section: 'A', line: 'aksguard scan x --fail-on low' }]);
  });
});

describe.runIf(HAS_TOOLS)('every README command, run as written', () => {
  let kube: FakeKube;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const ran: { line: string; code: number | null; stderr: string }[] = [];
  const skipped: { line: string; why: string }[] = [];

  beforeAll(async () => {
    kube = await FakeKube.start();
    seedSampleCluster(kube.store, { namespaces: 2, podsPerNamespace: 2, nodes: 3 });
    work = mkdtempSync(join(tmpdir(), 'aksguard-readme-'));
    const bin = join(work, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'aksguard'), `#!/bin/sh\nexec "${process.execPath}" "${ROOT}bin/aksguard" "$@"\n`);
    chmodSync(join(bin, 'aksguard'), 0o755);
    for (const tool of ['kubectl', 'helm'] as const) symlinkSync(toolPath(tool) as string, join(bin, tool));
    for (const folder of ['examples', 'deploy']) symlinkSync(join(ROOT, folder), join(work, folder));
    const kubeconfig = kube.writeKubeconfig(join(work, '.kube'), { context: 'prod-weu' });
    env = {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      KUBECONFIG: kubeconfig,
      HOME: work,
      NO_COLOR: '1',
    };
  });
  afterAll(async () => {
    await kube?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const bash = (script: string) =>
    runAsync('bash', ['-o', 'pipefail', '-c', script], { cwd: work, env, timeout: 60_000 });

  it('runs them in order, each exiting as a working command does', async () => {
    const available = new Map<string, boolean>();
    for (const { line } of readmeCommands(README)) {
      for (const program of new Set(line.split(/\s*(?:\|\||&&|\||;)\s*/).map((s) => s.split(' ')[0] as string))) {
        if (!available.has(program)) available.set(program, (await bash(`command -v ${program}`)).code === 0);
      }
      const why = elsewhere(line, (program) => available.get(program) === true);
      if (why) {
        skipped.push({ line, why });
        continue;
      }
      const run = await bash(line);
      ran.push({ line, code: run.code, stderr: run.stderr });
      expect(allowedCodes(line), `${line}\n${run.stderr}`).toContain(run.code);
    }
    expect(ran.length).toBeGreaterThanOrEqual(20);
  }, 600_000);

  it('ran the examples, the live-cluster commands and the kured migration; skipped only what needs elsewhere', () => {
    const lines = ran.map((r) => r.line);
    for (const expected of [
      'aksguard scan examples/terraform/',
      'aksguard scan examples/kubernetes/',
      'aksguard scan --context prod-weu',
      'aksguard nodes --context prod-weu',
      'aksguard deploy reboot-daemon --from-kured kured.yaml > reboot-daemon.yaml',
    ]) {
      expect(lines, expected).toContain(expected);
    }
    expect(lines.some((l) => l.startsWith('helm template reboot-daemon deploy/helm/'))).toBe(true);
    expect(lines.some((l) => l.startsWith('aksguard baseline create'))).toBe(true);
    const reasons = new Set(skipped.map((s) => s.why));
    for (const why of reasons) {
      expect(ELSEWHERE.map(([, reason]) => reason).includes(why) || /^needs less\b/.test(why), why).toBe(true);
    }
  });
});
