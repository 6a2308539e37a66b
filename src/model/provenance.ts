/** Where a value came from: every finding points back at the line that caused it. */

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A parsed input file. `locate` maps a path inside the document to a position (or that of its closest ancestor). */
export interface SourceDoc {
  readonly file: string;
  locate(path: Path): Position | undefined;
  /** How a path reads in this document's own terms, e.g. `properties.enableRBAC` or a Terraform attribute. */
  describe?(path: Path): string;
  /** Whether the value at the path holds or is part of a secret (Terraform `sensitive`, ARM `secureString`): reports show `(sensitive)`. */
  sensitive?(path: Path): boolean;
}

/** What reports show instead of a sensitive value. */
export const SENSITIVE = '(sensitive)';

/** Whether one path lies within the other (or they are the same): a secret inside a shown value leaks with it. */
export function overlaps(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]).toLowerCase() !== String(b[i]).toLowerCase()) return false;
  return true;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** A document whose positions are unknown (stdin of a non-JSON kind, a live API response). */
export function unlocatedDoc(file: string): SourceDoc {
  return { file, locate: () => undefined };
}
