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
