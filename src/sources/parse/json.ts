import { type ParseErrorCode, parse, printParseErrorCode, visit } from 'jsonc-parser';
import { InputError } from '../../model/errors.js';
import type { Path, Position, SourceDoc } from '../../model/provenance.js';
import { LineIndex } from './lines.js';
import { JsonLocator } from './locator.js';

/** A parsed JSON file that can point back at the line of any value in it. */
export interface JsonDoc extends SourceDoc {
  readonly value: unknown;
}

const JSONC_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

/**
 * Parses JSON, also accepting comments and trailing commas (real ARM templates have them). Strict JSON takes the
 * fast native path; positions are worked out only when a finding asks for one.
 */
export function parseJson(file: string, text: string): JsonDoc {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InputError(file, 'the file is empty');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    value = parseLenient(file, body);
  }
  return new LocatedJson(file, body, value);
}

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

class StopAtFirstError {
  constructor(
    readonly code: ParseErrorCode,
    readonly offset: number,
  ) {}
}

function parseLenient(file: string, text: string): unknown {
  try {
    visit(
      text,
      {
        onError: (code, offset) => {
          throw new StopAtFirstError(code, offset);
        },
      },
      JSONC_OPTIONS,
    );
  } catch (error) {
    if (error instanceof StopAtFirstError) {
      const { line, column } = new LineIndex(text).position(error.offset);
      throw new InputError(file, `invalid JSON: ${describeError(error.code, text, error.offset)}`, line, column);
    }
    if (error instanceof RangeError) throw new InputError(file, 'invalid JSON: nested too deeply to read');
    throw error;
  }
  return parse(text, [], JSONC_OPTIONS);
}

function describeError(code: ParseErrorCode, text: string, offset: number): string {
  if (offset >= text.length) return 'unexpected end of file (is it truncated?)';
  const messages: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':'",
    CommaExpected: "expected ','",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'unexpected content after the end of the JSON value',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  const name = printParseErrorCode(code);
  const found = JSON.stringify(text.slice(offset, offset + 12));
  return `${messages[name] ?? name} at ${found}`;
}
