import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { githubRepository, HOME, projectHome } from '../../src/model/package.js';
import { ruleDocsUrl } from '../../src/report/docs.js';
import { RULES } from '../../src/rules/index.js';
import { ROOT, runMain } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));

describe("the project's home comes from package.json alone", () => {
  it.each([
    'github:acme/aksguard',
    'acme/aksguard',
    'https://github.com/acme/aksguard',
    'git+https://github.com/acme/aksguard.git',
    'git@github.com:acme/aksguard.git',
    'ssh://git@github.com/acme/aksguard.git',
  ])('reads the GitHub repository %s', (spelling) => {
    expect(githubRepository(spelling)).toBe('https://github.com/acme/aksguard');
    expect(githubRepository({ url: spelling })).toBe('https://github.com/acme/aksguard');
  });

  it('names no repository for other hosts or none', () => {
    expect(githubRepository('https://gitlab.com/acme/aksguard')).toBeUndefined();
    expect(githubRepository(undefined)).toBeUndefined();
    expect(githubRepository({})).toBeUndefined();
  });

  it('with a repository: rule pages at the tag of this version, the image on ghcr.io, the homepage', () => {
    const home = projectHome({ version: '1.2.3', repository: { url: 'git+https://github.com/Acme/AKSGuard.git' } });
    expect(home).toEqual({
      version: '1.2.3',
      repository: 'https://github.com/Acme/AKSGuard',
      homepage: 'https://github.com/Acme/AKSGuard',
      ruleDocsBase: 'https://github.com/Acme/AKSGuard/blob/v1.2.3/docs/rules/',
      image: 'ghcr.io/acme/aksguard:1.2.3',
    });
    expect(projectHome({ version: '1.2.3', repository: 'acme/x', homepage: 'https://x.example' }).homepage).toBe(
      'https://x.example',
    );
  });

  it('without one: the rule pages shipped in the package and the image as docker build names it', () => {
    const root = new URL('file:///opt/lib/node_modules/aksguard/');
    expect(projectHome({ version: '1.2.3' }, root)).toEqual({
      version: '1.2.3',
      repository: undefined,
      homepage: undefined,
      ruleDocsBase: 'file:///opt/lib/node_modules/aksguard/docs/rules/',
      image: 'aksguard:1.2.3',
    });
  });

  it('this checkout follows its package.json, and every rule link opens an existing page', () => {
    expect(HOME).toEqual(projectHome(pkg));
    for (const { meta } of RULES) {
      const url = ruleDocsUrl(meta.id);
      expect(url.startsWith(HOME.ruleDocsBase)).toBe(true);
      if (url.startsWith('file:')) expect(existsSync(fileURLToPath(url)), url).toBe(true);
    }
  });

  it('explain ends with where the page is; the deploy manifests name the derived image', async () => {
    const explain = await runMain(['explain', 'identity/local-accounts-enabled']);
    const where = ruleDocsUrl('identity/local-accounts-enabled');
    expect(explain.stdout.trimEnd().split('\n').at(-1)).toBe(
      where.startsWith('file:') ? `This page: ${fileURLToPath(where)}` : `This page online: ${where}`,
    );
    const deploy = await runMain(['deploy', 'reboot-daemon']);
    expect(deploy.stdout).toContain(`image: ${HOME.image}\n`);
  });

  it('no address is guessed: every URL naming this project in the repository is derived', () => {
    // Tracked files only; the release workflow fills package.json from the repository it runs in.
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    // (`aksguard.io/…` annotation keys are names, not addresses.)
    const guessed =
      /(?:github\.com|ghcr\.io|gitlab\.com)\/aksguard\b|https?:\/\/[\w.-]*aksguard\.(?:dev|io|com|org)\b/i;
    const offenders = tracked
      .filter((file) => !file.startsWith('test/release/') && existsSync(`${ROOT}${file}`))
      .filter((file) => guessed.test(readFileSync(`${ROOT}${file}`, 'utf8')));
    expect(offenders).toEqual([]);
    expect(pkg.repository ?? pkg.homepage ?? pkg.bugs).toBeUndefined();
  });
});
