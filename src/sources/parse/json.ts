import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';
import { InputError } from '../../model/errors.js';
import type { Path, Position, SourceDoc } from '../../model/provenance.js';
import { LineIndex } from './lines.js';
import { JsonLocator } from './locator.js';

/** A parsed JSON file that can point back at the line of any value in it. */
export interface JsonDoc extends SourceDoc {
  readonly value: unknown;
}

/**
 * Parses JSON, also accepting comments and trailing commas (real ARM templates have them). Both paths use the
 * native parser, so a 200 MB file takes about a second and any nesting depth is fine; positions are worked out
 * only when a finding asks for one.
 */
export function parseJson(file: string, text: string): JsonDoc {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InputError(file, 'the file is empty');
  try {
    return new LocatedJson(file, body, JSON.parse(body));
  } catch (error) {
    const strict = parseLenient(file, body, error as Error);
    return new LocatedJson(file, strict.text, strict.value);
  }
}

/** `text` is strict JSON with the original's offsets (comments blanked), which is all the locator needs. */
class LocatedJson implements JsonDoc {
  private locator: JsonLocator | undefined;
  private lines: LineIndex | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
    readonly value: unknown,
  ) {}

  locate(path: Path): Position | undefined {
    this.locator ??= new JsonLocator(this.text);
    this.lines ??= new LineIndex(this.text);
    const offset = this.locator.anchorOf(path);
    return offset === undefined ? undefined : this.lines.position(offset);
  }
}

/**
 * JSON with comments and trailing commas: blank them out (offsets unchanged) and parse natively again — unless
 * there were none, in which case the first parser error stands (a huge broken file is not parsed twice).
 */
function parseLenient(file: string, text: string, strictError: Error): { text: string; value: unknown } {
  const strict = blankCommentsAndTrailingCommas(text);
  if (typeof strict !== 'string') throw located(file, text, strict.offset, 'unterminated comment');
  let error = strictError;
  if (strict !== text) {
    try {
      return { text: strict, value: JSON.parse(strict) };
    } catch (lenientError) {
      error = lenientError as Error;
    }
  }
  const { offset, message } = explain(error.message, strict);
  throw located(file, text, offset, `invalid JSON: ${message}`);
}

const located = (file: string, text: string, offset: number, message: string): InputError => {
  const { line, column } = new LineIndex(text).position(offset);
  return new InputError(file, message, line, column);
};

/**
 * Where and what the native parser's complaint is. V8 names the position for most errors; for the few it does
 * not, a tokenizing pass finds the first error (slower, but only on already-broken input).
 */
function explain(native: string, text: string): { offset: number; message: string } {
  const end = text.trimEnd().length;
  const truncated = { offset: end, message: 'unexpected end of file (is it truncated?)' };
  if (/end of JSON input/i.test(native)) return truncated;
  const position = /at position (\d+)/.exec(native);
  if (position && Number(position[1]) >= end) return truncated;
  if (position) {
    const message = native.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)/, '');
    return { offset: Number(position[1]), message: lowerFirst(message) };
  }
  return firstTokenError(text);
}

class StopAtFirstError {
  constructor(
    readonly code: ParseErrorCode,
    readonly offset: number,
  ) {}
}

function firstTokenError(text: string): { offset: number; message: string } {
  try {
    visit(text, {
      onError: (code, offset) => {
        throw new StopAtFirstError(code, offset);
      },
    });
  } catch (error) {
    if (error instanceof StopAtFirstError) {
      const found = JSON.stringify(text.slice(error.offset, error.offset + 12));
      return { offset: error.offset, message: `${lowerFirst(printParseErrorCode(error.code))} at ${found}` };
    }
    if (!(error instanceof RangeError)) throw error;
  }
  return { offset: 0, message: 'not valid JSON' };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const SLASH = 0x2f;
const STAR = 0x2a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * Replaces `//` and `/* *\/` comments and trailing commas with spaces, keeping every offset and line break, so the
 * result is strict JSON whose positions match the original. Returns the offset of an unterminated comment instead.
 */
export function blankCommentsAndTrailingCommas(text: string): string | { offset: number } {
  const out: string[] = [];
  let copiedUpTo = 0;
  let pendingComma = -1;
  const blank = (from: number, to: number) => {
    out.push(text.slice(copiedUpTo, from), text.slice(from, to).replace(/[^\n\r]/g, ' '));
    copiedUpTo = to;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      pendingComma = -1;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      let end = text.indexOf('\n', i);
      if (end === -1) end = text.length;
      blank(i, end);
      i = end - 1;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return { offset: i };
      blank(i, end + 2);
      i = end + 1;
    } else if (c === COMMA) {
      pendingComma = i;
    } else if (c === 0x7d || c === 0x5d) {
      if (pendingComma !== -1) blank(pendingComma, pendingComma + 1);
      pendingComma = -1;
    } else if (c !== 0x20 && c !== 0x09 && c !== NEWLINE && c !== 0x0d) {
      pendingComma = -1;
    }
  }
  if (copiedUpTo === 0) return text;
  out.push(text.slice(copiedUpTo));
  return out.join('');
}
