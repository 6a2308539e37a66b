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
