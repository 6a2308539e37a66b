/**
 * Text from the input in a pull-request comment, shown exactly as written wherever it lands: in Markdown, in a
 * table cell, or inside an HTML block such as `<summary>` (where backslash escapes would show literally). Markup
 * characters become numeric entities, `@` is followed by a zero-width space so a name like `@team` notifies no one,
 * and a line break is `<br>`.
 */
export function md(value: string): string {
  return value
    .replace(/[&<>"\\`*_[\]|~]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replaceAll('@', '@\u200b')
    .replace(/\r?\n/g, '<br>');
}

/** A command or value as inline code (`<code>`, which wraps at PR width where a fenced block would scroll). */
export function code(value: string): string {
  return `<code>${md(value)}</code>`;
}
