import {
  IGNORE_SYNTAX,
  type IgnoreProblem,
  type InlineIgnore,
  type InlineIgnores,
  parseIgnoreText,
} from '../model/ignore.js';
import type { Path } from '../model/provenance.js';
import { formatPath } from '../model/provenance.js';
import { field, findKey, isRecord } from '../model/settings.js';

/** How comments and strings are written: Terraform HCL (`#`, `//`, `"…"`, heredocs) or Bicep (`//`, `'…'`, `'''…'''`). */
export type CommentSyntax = 'hcl' | 'bicep';

const MARKER = /^\s*aksguard:ignore(?=\s|$)(.*)$/s;

/**
 * The `aksguard:ignore` comments of a Terraform or Bicep file. A comment at the end of a line covers that line's
 * statement; one on a line of its own covers the next statement (decorators included in Bicep); a statement that
 * opens a block (`resource … {`) or a list runs to where it closes, so a comment above a resource covers every
 * finding inside it. Malformed comments are problems with their line, and cover nothing.
 */
export function commentIgnores(file: string, text: string, syntax: CommentSyntax): InlineIgnores {
  const { lines, comments } = scanLines(text, syntax);
  const ignores: InlineIgnore[] = [];
  const problems: IgnoreProblem[] = [];
  for (const comment of comments) {
    const marked = MARKER.exec(comment.text);
    if (!marked) continue;
    const problem = (message: string) => problems.push({ file, line: comment.line, message });
    const parsed = parseIgnoreText(marked[1] as string);
    if (typeof parsed === 'string') {
      problem(`aksguard:ignore ${parsed}; it is not applied`);
      continue;
    }
    let from = comment.line;
    if (!comment.trailing) {
      while (from < lines.length && !lines[from]?.code) from++;
      if (from >= lines.length) {
        problem(
          'aksguard:ignore stands above nothing (it covers the statement on or below its line); it is not applied',
        );
        continue;
      }
    }
    ignores.push({ ...parsed, file, line: comment.line, covers: { from, to: statementEnd(lines, from, syntax) } });
  }
  return { ignores, problems };
}

/** The last line of the statement starting on `from`: where the brackets it opens close again. */
function statementEnd(lines: readonly LineInfo[], from: number, syntax: CommentSyntax): number {
  const start = lines[from] as LineInfo;
  let line = from;
  // Bicep decorators (`@description(…)`) belong to the declaration below them.
  while (syntax === 'bicep' && (lines[line] as LineInfo).decorator) {
    line = closing(lines, line) + 1;
    while (line < lines.length - 1 && !lines[line]?.code) line++;
  }
  return closing(lines, line, start.depth);
}

function closing(lines: readonly LineInfo[], from: number, depth = (lines[from] as LineInfo).depth): number {
  let line = from;
  while (line < lines.length - 1 && (lines[line + 1]?.depth ?? 0) > depth) line++;
  return line;
}

interface LineInfo {
  /** The bracket depth at the start of the line. */
  depth: number;
  /** Whether the line holds anything but blanks and comments. */
  code: boolean;
  /** Whether its code starts with `@` (a Bicep decorator). */
  decorator: boolean;
}

interface Comment {
  readonly line: number;
  readonly text: string;
  /** After code on the same line. */
  readonly trailing: boolean;
}

type Mode =
  | { kind: 'code' }
  | { kind: 'string' }
  | { kind: 'interpolation'; braces: number }
  | { kind: 'block-comment' }
  | { kind: 'heredoc'; marker: string }
  | { kind: 'multiline' };

/**
 * One pass over the text: each line's bracket depth and whether it holds code, and every line comment. Strings
 * (with `${…}` interpolations holding strings), heredocs, Bicep's `'''` strings and block comments are stepped
 * over, so a brace or a `#` inside them counts for nothing.
 */
function scanLines(text: string, syntax: CommentSyntax): { lines: LineInfo[]; comments: Comment[] } {
  const quote = syntax === 'hcl' ? '"' : "'";
  // Line 0 is unused, so that lines[n] is line n.
  const lines: LineInfo[] = [
    { depth: 0, code: false, decorator: false },
    { depth: 0, code: false, decorator: false },
  ];
  const comments: Comment[] = [];
  const modes: Mode[] = [{ kind: 'code' }];
  let depth = 0;
  let line = 1;
  const current = () => lines[line] as LineInfo;
  const markCode = (c: string) => {
    if (!current().code) current().decorator = c === '@';
    current().code = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const mode = modes.at(-1) as Mode;
    if (c === '\n') {
      line++;
      lines.push({ depth, code: false, decorator: false });
      if (mode.kind === 'heredoc') {
        const end = text.indexOf('\n', i + 1);
        if (text.slice(i + 1, end === -1 ? text.length : end).trim() === mode.marker) modes.pop();
      }
      continue;
    }
    switch (mode.kind) {
      case 'block-comment':
        if (text.startsWith('*/', i)) {
          modes.pop();
          i++;
        }
        continue;
      case 'heredoc':
        continue;
      case 'multiline':
        if (text.startsWith("'''", i)) {
          modes.pop();
          i += 2;
        }
        continue;
      case 'string':
        if (c === '\\') i++;
        else if (c === quote) modes.pop();
        else if ((c === '$' || (syntax === 'hcl' && c === '%')) && text[i + 1] === '{') {
          modes.push({ kind: 'interpolation', braces: 0 });
          i++;
        }
        continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '#' || text.startsWith('//', i)) {
      if (syntax === 'bicep' && c === '#') {
        markCode(c); // `#disable-next-line` is a Bicep directive, not a comment
        continue;
      }
      const end = text.indexOf('\n', i);
      const body = text.slice(i + (c === '#' ? 1 : 2), end === -1 ? text.length : end);
      comments.push({ line, text: body, trailing: current().code });
      i = (end === -1 ? text.length : end) - 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      modes.push({ kind: 'block-comment' });
      i++;
      continue;
    }
    markCode(c);
    if (syntax === 'bicep' && text.startsWith("'''", i)) {
      modes.push({ kind: 'multiline' });
      i += 2;
    } else if (c === quote) modes.push({ kind: 'string' });
    else if (syntax === 'hcl' && text.startsWith('<<', i)) {
      const heredoc = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)/.exec(text.slice(i, i + 100));
      if (heredoc) {
        modes.push({ kind: 'heredoc', marker: heredoc[1] as string });
        i += heredoc[0].length - 1;
      }
    } else if (mode.kind === 'interpolation') {
      if (c === '{') mode.braces++;
      else if (c === '}' && mode.braces-- === 0) modes.pop();
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth = Math.max(0, depth - 1);
  }
  return { lines, comments };
}

/**
 * `metadata.aksguard.ignore` on the resources of an ARM template (nested deployments' and child resources too):
 * a string, or a list of strings, in the inline syntax. It covers every finding at or below the resource in the
 * template. `locate` gives the line of a path, for messages.
 */
export function templateIgnores(
  file: string,
  template: unknown,
  locate: (path: Path) => number | undefined,
): InlineIgnores {
  const ignores: InlineIgnore[] = [];
  const problems: IgnoreProblem[] = [];
  const visit = (resources: unknown, path: Path) => {
    const entries = Array.isArray(resources)
      ? resources.map((r, i) => [i, r] as const)
      : isRecord(resources)
        ? Object.entries(resources)
        : [];
    for (const [key, resource] of entries) {
      if (!isRecord(resource)) continue;
      const at = [...path, key];
      read(resource, at);
      const children = findKey(resource, 'resources');
      if (children) visit(resource[children], [...at, children]);
      const properties = findKey(resource, 'properties');
      const nested = properties ? field(resource[properties], 'template') : undefined;
      const inner = isRecord(nested) ? findKey(nested, 'resources') : undefined;
      if (properties && inner) visit(field(nested, inner), [...at, properties, 'template', inner]);
    }
  };
  const read = (resource: Record<string, unknown>, at: Path) => {
    const metadata = findKey(resource, 'metadata');
    const own = metadata ? field(resource[metadata], 'aksguard') : undefined;
    if (own === undefined) return;
    const where = [...at, metadata as string, 'aksguard', 'ignore'];
    const line = locate(where) ?? 1;
    const value = field(own, 'ignore');
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [value];
    for (const text of texts) {
      const parsed =
        typeof text === 'string' ? parseIgnoreText(text) : `must be a string "${IGNORE_SYNTAX}" or a list of them`;
      if (typeof parsed === 'string')
        problems.push({ file, line, message: `metadata.aksguard.ignore ${parsed}; it is not applied` });
      else ignores.push({ ...parsed, file, line, covers: { path: formatPath(at) } });
    }
  };
  const resources = isRecord(template) ? findKey(template, 'resources') : undefined;
  if (resources) visit((template as Record<string, unknown>)[resources], [resources]);
  return { ignores, problems };
}
