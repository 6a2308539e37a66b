/**
 * Characters a terminal (or a log viewer) acts on instead of showing: C0 controls, DEL and C1 controls (ESC starts
 * colour changes, screen clears, hyperlinks and OSC 52 clipboard writes; a lone CR overwrites the line), and the
 * Unicode controls that reorder or hide text (bidi embeddings, overrides and isolates, line separators).
 * Tab and newline are in the set too: `terminalText` keeps them where a line break is legitimate.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_LINE_BREAKS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `\u001b` for ESC: the character shown, not obeyed. */
const visible = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One value inside a line (a name, a message): every control character shown as its escape, newlines included. */
export function terminalLine(value: string): string {
  return hideUrlCredentials(value).replace(UNSAFE, visible);
}

/** Text of one or more lines (an error, a warning): newlines and tabs kept, every other control shown escaped. */
export function terminalText(text: string): string {
  return hideUrlCredentials(text).replace(UNSAFE_BUT_LINE_BREAKS, visible);
}

const URL_CREDENTIALS = /\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#@]+@/gi;

/** `https://user:pass@host` → `https://(sensitive)@host`: the password in a URL is a secret like any other. */
export function hideUrlCredentials(text: string): string {
  return text.includes('://') ? text.replace(URL_CREDENTIALS, '$1(sensitive)@') : text;
}
