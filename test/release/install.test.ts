import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ScanResult } from '../../src/model/result.js';
import { ROOT, runAsync } from '../support/cli.js';
import { readAction, runComposite, type StepResult } from './composite-runner.js';

/**
 * What a user installs, installed the ways users install it, from a copy of the repository's files (no dist/, no
 * node_modules): the GitHub Action's steps as a runner runs them (npm ci and the build in the action's folder), then
 * `npm pack` (prepack builds) and the tarball installed into a temporary prefix from the npm cache, run from
 * another folder; then the pre-commit hook's entry as pre-commit runs it, with that installation on PATH.
 */
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ACTION = readAction(join(ROOT, 'action.yml'));
const LONG = 600_000;

let work: string;
let source: string;
let prefix: string;

/** The environment of a user's shell: none of the npm variables of the `npm test` that runs this. */
const userEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('npm_') || ['npm_config_cache', 'npm_config_userconfig', 'npm_config_registry'].includes(key),
    ),
  ),
  NO_COLOR: '1',
  ...extra,
});

const sh = (file: string, args: readonly string[], cwd: string, env = userEnv()) =>
  runAsync(file, args, { cwd, env, timeout: LONG });

/** The repository's own files (tracked, and new ones not ignored), as a clone has them. */
function copyRepository(to: string): void {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)) && statSync(join(ROOT, file)).isFile());
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(to, file));
  }
  execFileSync('chmod', ['+x', join(to, 'bin/aksguard')]);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'aksguard-install-'));
  source = join(work, 'aksguard');
  prefix = join(work, 'prefix');
  copyRepository(source);
});
// Asynchronously: the copy holds a node_modules, and a blocking delete would stall the test worker.
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
}, LONG);

/** A user's repository with AKS code in infra/ and k8s/. */
function userRepository(name: string): string {
  const repo = join(work, name);
  cpSync(join(ROOT, 'examples/terraform'), join(repo, 'infra'), { recursive: true });
  cpSync(join(ROOT, 'examples/kubernetes'), join(repo, 'k8s'), { recursive: true });
  return repo;
}

describe('the GitHub Action (action.yml), its steps run as a runner runs them', () => {
  const step = (results: StepResult[], name: string) => results.find((r) => r.name === name) as StepResult;

  it(
    'installs from its own folder, scans, writes the job summary, hands SARIF to the upload, fails on findings',
    async () => {
      const workspace = userRepository('action-user');
      const summaryFile = join(work, 'summary.md');
      const results = await runComposite(ACTION, {
        actionPath: source,
        workspace,
        temp: mkdtempSync(join(work, 'runner-')),
        inputs: { path: 'infra/\nk8s/', 'fail-on': 'high' },
        summaryFile,
      });
      expect(results.map((r) => `${r.name}: ${r.outcome}`)).toEqual([
        'Install aksguard: success',
        'Scan: success',
        'Job summary: success',
        'Upload SARIF: not run here',
        'Verdict: failure',
      ]);
      expect(existsSync(join(source, 'dist/cli/main.js'))).toBe(true);
      const sarifFile = step(results, 'Upload SARIF').with?.sarif_file as string;
      expect(step(results, 'Upload SARIF').with).toEqual({ sarif_file: sarifFile, category: 'aksguard' });
      const log = JSON.parse(readFileSync(sarifFile, 'utf8')) as Sarif.Log;
      const uris = new Set(log.runs[0]?.results?.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri));
      expect([...uris].sort()).toEqual([
        'infra/main.tf',
        'k8s/debug.yaml',
        'k8s/namespace.yaml',
        'k8s/rbac.yaml',
        'k8s/web.yaml',
      ]);
      const summary = readFileSync(summaryFile, 'utf8');
      expect(summary).toMatch(/^## /m);
      expect(summary).toContain('control-plane/authorized-ranges-too-broad');
      expect(step(results, 'Scan').stdout).toMatch(/FAIL \(findings at or above high\)/);
      expect(step(results, 'Verdict').code).toBe(1);
      expect(step(results, 'Verdict').stdout).toContain('::error title=aksguard::findings at or above high');
    },
    LONG,
  );

  it(
    'passes with fail-on none; a path that tries to run code is only a path (exit 2, no summary, no upload)',
    async () => {
      const workspace = userRepository('action-user-2');
      const common = {
        actionPath: source,
        workspace,
        summaryFile: join(work, 'summary-2.md'),
        skip: ['Install aksguard'],
      };
      const pass = await runComposite(ACTION, {
        ...common,
        temp: mkdtempSync(join(work, 'runner-')),
        inputs: { path: 'infra/', 'fail-on': 'none', 'upload-sarif': 'false' },
      });
      expect(pass.map((r) => r.outcome)).toEqual(['skipped', 'success', 'success', 'skipped', 'success']);
      const hostile = await runComposite(ACTION, {
        ...common,
        temp: mkdtempSync(join(work, 'runner-')),
        inputs: { path: '$(touch pwned) `touch pwned2`' },
      });
      expect(existsSync(join(workspace, 'pwned')) || existsSync(join(workspace, 'pwned2'))).toBe(false);
      expect(hostile.map((r) => r.outcome)).toEqual(['skipped', 'success', 'skipped', 'skipped', 'failure']);
      expect(hostile[1]?.stderr).toMatch(/\$\(touch: no such file or folder/);
      expect(hostile[4]?.code).toBe(2);
    },
    LONG,
  );

  it('has the metadata GitHub reads: inputs with descriptions, outputs from the scan step, no expression inside a script', () => {
    const raw = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    expect(raw.runs.using).toBe('composite');
    for (const [name, input] of Object.entries(raw.inputs as Record<string, { description?: string }>)) {
      expect(input.description, name).toBeTruthy();
    }
    for (const output of Object.values(raw.outputs as Record<string, { value: string }>)) {
      expect(output.value).toMatch(/^\$\{\{ steps\.scan\.outputs\.[\w-]+ \}\}$/);
    }
    for (const s of raw.runs.steps as { run?: string; shell?: string }[]) {
      if (s.run) expect(s.shell).toBe('bash');
      expect(s.run ?? '').not.toContain('${{');
    }
  });
});

describe('the npm tarball, installed into a prefix and run from another folder', () => {
  let tarball: string;

  it(
    'npm pack builds dist/ in prepack and packs what the CLI reads at run time',
    async () => {
      rmSync(join(source, 'dist'), { recursive: true, force: true });
      const pack = await sh('npm', ['pack', '--pack-destination', work, '--json'], source);
      expect(pack.code, pack.stderr).toBe(0);
      const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as {
        filename: string;
        files: { path: string }[];
      }[];
      tarball = join(work, info?.filename as string);
      expect(info?.filename).toBe(`aksguard-${VERSION}.tgz`);
      const files = (info?.files ?? []).map((f) => f.path);
      for (const needed of [
        'bin/aksguard',
        'dist/cli/main.js',
        'docs/rules/identity/local-accounts-enabled.md',
        'schemas/aksguard.config.schema.json',
        'LICENSE',
        'README.md',
        'package.json',
      ]) {
        expect(files, needed).toContain(needed);
      }
      expect(files.filter((f) => /^(src|test|examples|node_modules)\//.test(f))).toEqual([]);
    },
    LONG,
  );

  it(
    'installs from the npm cache (--prefer-offline) and scans the examples from another folder',
    async () => {
      const install = await sh(
        'npm',
        ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
        work,
      );
      expect(install.code, install.stderr).toBe(0);
      const bin = join(prefix, 'bin/aksguard');
      const elsewhere = mkdtempSync(join(work, 'elsewhere-'));
      expect((await sh(bin, ['--version'], elsewhere)).stdout.trim()).toBe(VERSION);
      const scan = await sh(
        bin,
        ['scan', join(ROOT, 'examples/terraform'), '--format', 'json', '--as-of', '2026-11-28'],
        elsewhere,
      );
      expect(scan.code, scan.stderr).toBe(1);
      const report = JSON.parse(scan.stdout) as ScanResult;
      expect(report.tool.version).toBe(VERSION);
      expect(report.targets.map((t) => t.name)).toEqual(['shop-prod']);
      expect(report.findings.map((f) => f.ruleId)).toContain('control-plane/authorized-ranges-too-broad');
      // Rule links point at the pages inside this installation (package.json names no repository yet).
      const sarif = await sh(
        bin,
        ['scan', join(ROOT, 'examples/demo'), '--format', 'sarif', '--fail-on', 'none'],
        elsewhere,
      );
      const helpUri = (JSON.parse(sarif.stdout) as Sarif.Log).runs[0]?.tool.driver.rules?.[0]?.helpUri as string;
      const installed = join(prefix, 'lib/node_modules/aksguard');
      expect(fileURLToPath(helpUri).startsWith(join(installed, 'docs/rules/'))).toBe(true);
      expect(existsSync(fileURLToPath(helpUri))).toBe(true);
      const explain = await sh(bin, ['explain', 'identity/local-accounts-enabled'], elsewhere);
      expect(explain.stdout).toContain(
        `This page: ${join(installed, 'docs/rules/identity/local-accounts-enabled.md')}`,
      );
    },
    LONG,
  );
});

describe('the pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];

  it("is a valid pre-commit manifest (pre-commit's documented hook keys and types)", () => {
    const schema = {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'name', 'entry', 'language'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          entry: { type: 'string' },
          language: {
            enum: [
              'conda',
              'coursier',
              'dart',
              'docker',
              'docker_image',
              'dotnet',
              'fail',
              'golang',
              'haskell',
              'lua',
              'node',
              'perl',
              'pygrep',
              'python',
              'r',
              'ruby',
              'rust',
              'script',
              'swift',
              'system',
            ],
          },
          alias: { type: 'string' },
          files: { type: 'string' },
          exclude: { type: 'string' },
          types: { type: 'array', items: { type: 'string' } },
          types_or: { type: 'array', items: { type: 'string' } },
          exclude_types: { type: 'array', items: { type: 'string' } },
          additional_dependencies: { type: 'array', items: { type: 'string' } },
          args: { type: 'array', items: { type: 'string' } },
          always_run: { type: 'boolean' },
          fail_fast: { type: 'boolean' },
          pass_filenames: { type: 'boolean' },
          description: { type: 'string' },
          language_version: { type: 'string' },
          log_file: { type: 'string' },
          minimum_pre_commit_version: { type: 'string' },
          require_serial: { type: 'boolean' },
          stages: { type: 'array', items: { type: 'string' } },
          verbose: { type: 'boolean' },
        },
      },
    };
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    expect(validate(hooks) ? [] : validate.errors).toEqual([]);
    expect(validate([{ id: 'x', name: 'x', entry: 'x', language: 'node', file: 'typo' }])).toBe(false);
  });

  it(
    'runs the entry with its args, as pre-commit does, when a commit touches AKS code: exit 1 on findings, 0 when clean',
    async () => {
      const hook = hooks[0] as { entry: string; args: string[]; files: string; pass_filenames: boolean };
      const files = new RegExp(hook.files);
      expect(
        ['infra/main.tf', 'infra/terraform.tfvars', 'k8s/web.yaml', 'cluster.json', 'main.bicep'].every((f) =>
          files.test(f),
        ),
      ).toBe(true);
      expect(['README.md', 'src/app.ts'].some((f) => files.test(f))).toBe(false);
      expect(hook.pass_filenames).toBe(false);
      const env = userEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` });
      const [program, ...entryArgs] = hook.entry.split(' ');
      const failing = userRepository('hook-user');
      const found = await sh(program as string, [...entryArgs, ...hook.args], failing, env);
      expect(found.code, found.stderr).toBe(1);
      expect(found.stdout).toContain('infra/main.tf');
      const clean = join(work, 'hook-clean');
      cpSync(join(ROOT, 'examples/kured'), clean, { recursive: true });
      const passed = await sh(program as string, [...entryArgs, ...hook.args], clean, env);
      expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    },
    LONG,
  );
});
