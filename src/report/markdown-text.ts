import { terminalText } from './terminal.js';

/**
 * Text from the input in a pull-request comment, shown exactly as written wherever it lands: in Markdown, in a
 * table cell, or inside an HTML block such as `<summary>` (where backslash escapes would show literally). Markup
 * characters become numeric entities, `@` is followed by a zero-width space so a name like `@team` notifies no one,
 * and a line break (`\r` alone too, which would end a table row) is `<br>`; other control characters show as
 * escapes.
 */
export function md(value: string): string {
  return terminalText(value.replace(/\r\n?/g, '\n'))
    .replace(/[&<>"\\`*_[\]|~]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replaceAll('@', '@\u200b')
    .replaceAll('\n', '<br>');
}

/** A command or value as inline code (`<code>`, which wraps at PR width where a fenced block would scroll). */
export function code(value: string): string {
  return `<code>${md(value)}</code>`;
}
