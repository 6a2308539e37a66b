import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';
import { InputError } from '../../model/errors.js';
import type { Path, Position, SourceDoc } from '../../model/provenance.js';
import { LineIndex } from './lines.js';
import { JsonLocator, type Spot, skipSpace, stringEnd, valueEnd } from './locator.js';

/** A parsed JSON file that can point back at the line of any value in it. */
export interface JsonDoc extends SourceDoc {
  readonly value: unknown;
}

/**
 * Parses JSON, also accepting comments and trailing commas (real ARM templates have them). Both paths use the
 * native parser, so a 200 MB file takes about a second and any nesting depth is fine; positions are worked out
 * only when a finding asks for one.
 */
export function parseJson(file: string, text: string, shrink: Shrink = same): JsonDoc {
  try {
    return parseJsonText(file, text, shrink);
  } catch (error) {
    throw error instanceof TooManyValues ? new InputError(file, error.message) : error;
  }
}

function parseJsonText(file: string, text: string, shrink: Shrink): JsonDoc {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InputError(file, 'the file is empty');
  if (body.length >= ITEMWISE_CHARS) {
    const doc = parseItemwise(file, body, shrink);
    if (doc) return doc;
  }
  try {
    return new LocatedJson(file, body, parseCounted(body, 0, body.length));
  } catch (error) {
    if (error instanceof TooManyValues)
      throw endsEarly(body) ? located(file, body, body.trimEnd().length, TRUNCATED) : error;
    const strict = parseLenient(file, body, error as Error);
    return new LocatedJson(file, strict.text, strict.value);
  }
}

const TRUNCATED = 'invalid JSON: unexpected end of file (is it truncated?)';

/** A text that opens an object or list and does not close one: cut short, whatever else is wrong with it. */
function endsEarly(text: string): boolean {
  const last = text.charCodeAt(text.trimEnd().length - 1);
  return last !== CLOSE_BRACE && last !== CLOSE_BRACKET;
}

type Shrink = (item: unknown) => unknown;
const same: Shrink = (item) => item;

/** From this size on, a file's top-level lists are parsed item by item (see `parseItemwise`). */
const ITEMWISE_CHARS = 16 * 2 ** 20;
/**
 * A large file (a cluster dump of a few hundred MB) is read one top-level member at a time and its lists item by
 * item, each item handed to `shrink` as soon as it is parsed: the whole parsed tree never exists at once (for a
 * 350 MB dump it would take 2.5 times the file's size), and the item boundaries found on the way are kept for
 * locating findings later. Anything this reader does not vouch for (comments, malformed text, repeated or
 * `__proto__` keys) returns undefined, and the whole-text path parses the file or says what is wrong with it.
 */
function parseItemwise(file: string, text: string, shrink: Shrink): JsonDoc | undefined {
  const start = skipSpace(text, 0);
  const open = text.charCodeAt(start);
  const close = text.charCodeAt(text.trimEnd().length - 1);
  // A truncated file (the usual broken one) goes straight to the path that explains it.
  if (!(open === OPEN_BRACE && close === CLOSE_BRACE) && !(open === OPEN_BRACKET && close === CLOSE_BRACKET)) {
    return undefined;
  }
  const locator = new JsonLocator(text);
  try {
    const root =
      open === OPEN_BRACKET ? readList(text, start, shrink, locator) : readMembers(text, start, shrink, locator);
    if (skipSpace(text, root.end) !== text.length) return undefined;
    return new LocatedJson(file, text, root.value, locator);
  } catch (error) {
    // A budget (too many items or values) is the answer; anything else, the whole-text path explains.
    if (error instanceof InputError || error instanceof TooManyValues) throw error;
    return undefined;
  }
}

interface Read {
  readonly value: unknown;
  readonly end: number;
}

/** Lists of items shorter than this on average are not worth reading item by item: the whole file is parsed. */
const MIN_ITEM_CHARS = 256;

/** The object at `start`, its lists read by `readList`. Throws a SyntaxError where it cannot vouch for the text. */
function readMembers(text: string, start: number, shrink: Shrink, locator: JsonLocator): Read {
  const value: Record<string, unknown> = {};
  const children = new Map<string, Spot>();
  let i = skipSpace(text, start + 1);
  while (text.charCodeAt(i) !== CLOSE_BRACE) {
    if (children.size > 0) i = afterComma(text, i);
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as unknown;
    if (typeof key !== 'string' || children.has(key) || key === '__proto__') throw new SyntaxError('unusual key');
    let at = skipSpace(text, keyEnd);
    if (text.charCodeAt(at) !== COLON) throw new SyntaxError('expected a colon');
    at = skipSpace(text, at + 1);
    const list = text.charCodeAt(at) === OPEN_BRACKET ? readList(text, at, shrink, locator) : undefined;
    const end = list ? list.end : valueEnd(text, at);
    value[key] = list ? list.value : parseCounted(text, at, end);
    children.set(key, { value: at, anchor: i });
    i = skipSpace(text, end);
  }
  locator.adoptObject(start, children);
  return { value, end: i + 1 };
}

/** The list at `start`, each item parsed and shrunk on its own. */
function readList(text: string, start: number, shrink: Shrink, locator: JsonLocator): Read {
  const items: unknown[] = [];
  const starts: number[] = [];
  const reader = new ItemReader(text);
  let i = skipSpace(text, start + 1);
  while (text.charCodeAt(i) !== CLOSE_BRACKET) {
    if (starts.length > 0) i = afterComma(text, i);
    if (starts.length === 64 && i - start < 64 * MIN_ITEM_CHARS) throw new SyntaxError('small items');
    const item = reader.read(i);
    items.push(shrink(item.value));
    starts.push(i);
    i = skipSpace(text, item.end);
  }
  locator.adoptList(start, starts);
  return { value: items, end: i + 1 };
}

function afterComma(text: string, i: number): number {
  if (text.charCodeAt(i) !== COMMA) throw new SyntaxError('expected a comma');
  return skipSpace(text, i + 1);
}

/** Items longer than this are scanned rather than guessed. */
const GUESS_LIMIT = 2 ** 20;
/** After this many wrong guesses in one list, the rest of it is scanned. */
const GUESS_FAILURES = 16;

/**
 * Reads list items and where each ends. Dumps put an item on one line, or pretty-print it with its closing
 * bracket on a line of its own at the item's indentation: both ends are found with a native `indexOf`, and a
 * guess holds exactly when its slice parses (a slice from a value's first character that parses ends where the
 * value does). Anything else is scanned character by character, as is the rest of a list where guessing keeps
 * failing, so no input makes this slower than scanning.
 */
class ItemReader {
  private newline = -1;
  private failures = 0;

  constructor(private readonly text: string) {}

  read(i: number): Read {
    const guessed = this.failures < GUESS_FAILURES ? (this.oneLine(i) ?? this.block(i)) : undefined;
    if (guessed) return guessed;
    this.failures++;
    const end = valueEnd(this.text, i);
    return { value: parseCounted(this.text, i, end), end };
  }

  private oneLine(i: number): Read | undefined {
    if (this.newline < i && this.newline !== Number.POSITIVE_INFINITY) {
      const found = this.text.indexOf('\n', i);
      this.newline = found === -1 ? Number.POSITIVE_INFINITY : found;
    }
    if (this.newline - i > GUESS_LIMIT) return undefined;
    let end = this.newline;
    while (end > i && /[\s,]/.test(this.text.charAt(end - 1))) end--;
    return tryParse(this.text, i, end);
  }

  private block(i: number): Read | undefined {
    const { text } = this;
    let lineStart = i;
    while (i - lineStart < 64 && (text.charCodeAt(lineStart - 1) === 0x20 || text.charCodeAt(lineStart - 1) === 0x09))
      lineStart--;
    if (lineStart !== 0 && text.charCodeAt(lineStart - 1) !== NEWLINE) return undefined;
    const closing = `\n${text.slice(lineStart, i)}${text.charAt(i) === '[' ? ']' : '}'}`;
    const found = text.slice(i, i + GUESS_LIMIT).indexOf(closing);
    return found === -1 ? undefined : tryParse(text, i, i + found + closing.length);
  }
}

/**
 * `JSON.parse` of a large text builds everything in it at once, and a few dozen megabytes of `{},{},…` make
 * gigabytes of objects. So a large text is first counted (objects, lists and commas, an upper bound on the values
 * it holds) and refused beyond what a real cluster dump needs; small texts and the items of a dump are not.
 */
function parseCounted(text: string, start: number, end: number): unknown {
  if (end - start >= COUNTED_CHARS) {
    const braces = occurrences(text, '{', start, end, MAX_CONTAINERS);
    const brackets = occurrences(text, '[', start, end, MAX_CONTAINERS - braces);
    if (braces + brackets > MAX_CONTAINERS || occurrences(text, ',', start, end, MAX_COMMAS) > MAX_COMMAS) {
      throw new TooManyValues(
        `more than ${(MAX_CONTAINERS / 1e6).toFixed(0)} million objects and lists or ${(MAX_COMMAS / 1e6).toFixed(0)} million values in one JSON document: refused`,
      );
    }
  }
  return JSON.parse(start === 0 && end === text.length ? text : text.slice(start, end));
}

/** How often `char` occurs in `text` between `start` and `end`, counted natively and only up to `max` + 1. */
function occurrences(text: string, char: string, start: number, end: number, max: number): number {
  let count = 0;
  for (let i = text.indexOf(char, start); i !== -1 && i < end && count <= max; i = text.indexOf(char, i + 1)) count++;
  return count;
}

/** Texts from this size on are counted before they are parsed whole. */
const COUNTED_CHARS = 16 * 2 ** 20;
/** About what 1.5 GB can hold, with room for the text itself. */
const MAX_CONTAINERS = 4_000_000;
const MAX_COMMAS = 20_000_000;

class TooManyValues extends Error {}

function tryParse(text: string, start: number, end: number): Read | undefined {
  try {
    return { value: JSON.parse(text.slice(start, end)), end };
  } catch {
    return undefined;
  }
}

/** `text` is strict JSON with the original's offsets (comments blanked), which is all the locator needs. */
class LocatedJson implements JsonDoc {
  private lines: LineIndex | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
    readonly value: unknown,
    private locator?: JsonLocator,
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
      return { text: strict, value: parseCounted(strict, 0, strict.length) };
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
    const message = native
      .replace(/\s*(?:in JSON )?at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/,? ".*$/s, ''); // V8 quotes the text around some errors: never echo the input
    return { offset: Number(position[1]), message: lowerFirst(message) };
  }
  return firstTokenError(text);
}

/** What the tokenizer expected, in words, without quoting the input (it may hold a secret). */
const EXPECTED: Record<string, string> = {
  InvalidSymbol:
    'unexpected character (values are strings in double quotes, numbers, true, false, null, objects or lists)',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected }',
  CloseBracketExpected: 'expected ]',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'a control character inside a string',
};

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
      return { offset: error.offset, message: EXPECTED[printParseErrorCode(error.code)] ?? 'not valid JSON' };
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
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

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
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
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
