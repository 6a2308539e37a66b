/**
 * Globs for suppression targets and resources: `*` any text (slashes included, since resource names are not
 * paths), `?` one character, `[abc]`/`[a-z]`/`[!abc]` a class. Matching is case-sensitive except that ARM ids are
 * compared as Azure does (case-insensitively) by the caller. Returns an error text for a malformed glob.
 */
export function compileGlob(glob: string): RegExp | string {
  const source = regexSource(glob, false);
  return typeof source === 'string' ? toRegExp(source, 's') : source.error;
}

/**
 * Globs over file paths (`--skip-path`, `skipPaths`), with `/` between folders: `*` and `?` stay within one
 * folder name, `**` spans any number of folders, `[abc]` is a class. A glob without a `/` matches a file or folder
 * name at any depth (`tfplan.json`, `*.bicep`); one with a `/` matches the path from the scanned folder
 * (`examples/**`, `modules/*\/test`). Returns an error text for a malformed glob.
 */
export function compilePathGlob(glob: string): ((path: string) => boolean) | string {
  const anchored = glob.replace(/^\.\//, '').replace(/\/$/, '');
  const source = regexSource(anchored, true);
  if (typeof source !== 'string') return source.error;
  const pattern = toRegExp(source, '');
  if (typeof pattern === 'string') return pattern;
  if (!anchored.includes('/')) return (path) => path.split('/').some((name) => pattern.test(name));
  return (path) => pattern.test(path);
}

/** The regular expression a glob stands for; in a path glob `*` and `?` stop at `/` and `**` crosses it. */
function regexSource(glob: string, path: boolean): string | { error: string } {
  if (glob === '') return { error: 'empty glob' };
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (path && glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (path && glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += path ? '[^/]*' : '.*';
    else if (char === '?') source += path ? '[^/]' : '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) return { error: `unclosed '[' at character ${i + 1}` };
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!');
      const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
      if (members === '') return { error: `empty class at character ${i + 1}` };
      source += `[${negated ? '^' : ''}${members}]`;
      i = end;
    } else if (char === ']') return { error: `']' without '[' at character ${i + 1}` };
    else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return source;
}

function toRegExp(source: string, flags: string): RegExp | string {
  try {
    return new RegExp(`^${source}$`, flags);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
