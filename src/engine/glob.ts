/**
 * Globs for suppression targets and resources: `*` any text (slashes included, since resource names are not
 * paths), `?` one character, `[abc]`/`[a-z]`/`[!abc]` a class. Matching is case-sensitive except that ARM ids are
 * compared as Azure does (case-insensitively) by the caller. Returns an error text for a malformed glob.
 */
export function compileGlob(glob: string): RegExp | string {
  if (glob === '') return 'empty glob';
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) return `unclosed '[' at character ${i + 1}`;
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!');
      const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
      if (members === '') return `empty class at character ${i + 1}`;
      source += `[${negated ? '^' : ''}${members}]`;
      i = end;
    } else if (char === ']') return `']' without '[' at character ${i + 1}`;
    else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`, 's');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Globs over file paths (`--skip-path`, `skipPaths`), with `/` between folders: `*` and `?` stay within one
 * folder name, `**` spans any number of folders, `[abc]` is a class. A glob without a `/` matches a file or folder
 * name at any depth (`tfplan.json`, `*.bicep`); one with a `/` matches the path from the scanned folder
 * (`examples/**`, `modules/*\/test`). Returns an error text for a malformed glob.
 */
export function compilePathGlob(glob: string): ((path: string) => boolean) | string {
  if (glob === '') return 'empty glob';
  const anchored = glob.replace(/^\.\//, '').replace(/\/$/, '');
  let source = '';
  for (let i = 0; i < anchored.length; i++) {
    const char = anchored[i] as string;
    if (anchored.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (anchored.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = anchored.indexOf(']', i + 2);
      if (end === -1) return `unclosed '[' at character ${i + 1}`;
      const body = anchored.slice(i + 1, end);
      const negated = body.startsWith('!');
      source += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const pattern = new RegExp(`^${source}$`);
  if (!anchored.includes('/')) return (path) => path.split('/').some((name) => pattern.test(name));
  return (path) => pattern.test(path) || pattern.test(path.replace(/^\.\//, ''));
}
