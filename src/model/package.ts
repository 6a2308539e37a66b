import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The project's home, read from one place: package.json `repository`, `homepage` and `bugs`. Rule links in
 * reports, the image the deploy manifests name, and `explain` derive from it. While package.json names no
 * repository (a clone, a tarball built from one), links point at the rule pages shipped in the package and the
 * image is the one you build (`aksguard:<version>`); the release workflow fills the fields from the repository it
 * publishes from.
 */
export interface PackageJson {
  readonly version: string;
  readonly repository?: string | { readonly url?: string };
  readonly homepage?: string;
  readonly bugs?: string | { readonly url?: string };
}

export interface ProjectHome {
  readonly version: string;
  /** `https://github.com/owner/name` when package.json names a GitHub repository. */
  readonly repository: string | undefined;
  /** `homepage`, else the repository. */
  readonly homepage: string | undefined;
  /** Where rule pages are: the repository at this version's tag, else the folder shipped in the package. */
  readonly ruleDocsBase: string;
  /** The container image of this version: the GitHub repository's on ghcr.io, else `aksguard` as you build it. */
  readonly image: string;
}

/** The package root: two folders up from src/model and from dist/model alike. */
export const PACKAGE_ROOT = new URL('../../', import.meta.url);

const GITHUB =
  /^(?:git\+)?(?:https?:\/\/|git:\/\/|ssh:\/\/git@|git@)github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/i;

/** The web address of a GitHub repository in any spelling npm accepts (`github:o/r`, `o/r`, git URLs). */
export function githubRepository(repository: PackageJson['repository']): string | undefined {
  const text = (typeof repository === 'string' ? repository : repository?.url)?.trim();
  if (!text) return undefined;
  const short = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(text);
  const match = short ?? GITHUB.exec(text);
  return match ? `https://github.com/${match[1]}/${match[2]}` : undefined;
}

export function projectHome(pkg: PackageJson, root: URL = PACKAGE_ROOT): ProjectHome {
  const repository = githubRepository(pkg.repository);
  const homepage = pkg.homepage?.trim() || repository;
  return {
    version: pkg.version,
    repository,
    homepage,
    ruleDocsBase: repository ? `${repository}/blob/v${pkg.version}/docs/rules/` : new URL('docs/rules/', root).href,
    image: repository
      ? `ghcr.io/${repository.slice('https://github.com/'.length).toLowerCase()}:${pkg.version}`
      : `aksguard:${pkg.version}`,
  };
}

const PACKAGE = JSON.parse(readFileSync(fileURLToPath(new URL('package.json', PACKAGE_ROOT)), 'utf8')) as PackageJson;

/** This installation's home and version. */
export const HOME: ProjectHome = projectHome(PACKAGE);
export const VERSION: string = PACKAGE.version;
