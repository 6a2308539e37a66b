import { InputError } from '../../model/errors.js';
import type { Position } from '../../model/provenance.js';
import { LineIndex } from '../parse/lines.js';
import { type BlockNode, scanBlocks } from './blocks.js';
import { Expr } from './expression.js';
import type { HclFile } from './hcl.js';
import { parseExpression } from './syntax.js';
import { MAX_NESTING, readHeredoc, SyntaxFault, stringEnd, TooDeep } from './tokens.js';

/**
 * Parses a `.tf` or `.tfvars` file. aksguard reads HCL's structure itself (blocks, labels, attributes, each
 * attribute's expression parsed once): `@cdktf/hcl2json` is a Go program compiled to WebAssembly whose start-up
 * alone costs more than a whole scan of the same cluster as `az` JSON. It is still the judge of syntax errors:
 * when this reader meets something it does not accept, hcl2json parses the file, and either reports the error
 * Terraform would (`file:line:column: message`, exit 2) or, should it accept what this reader did not, its
 * reading is used.
 */
export async function parseHcl(file: string, text: string): Promise<HclFile> {
  try {
    return { file, text, ...readHcl(text) };
  } catch (error) {
    if (error instanceof TooDeep) {
      const at = new LineIndex(text).position(error.offset);
      throw new InputError(file, `${error.message}: aksguard does not read it`, at.line, at.column);
    }
    if (!(error instanceof SyntaxFault)) throw error;
    return parseWithHcl2json(file, text);
  }
}

async function parseWithHcl2json(file: string, text: string): Promise<HclFile> {
  const { parse } = await import('@cdktf/hcl2json');
  let body: Record<string, unknown>;
  try {
    body = (await parse(file, text)) as Record<string, unknown>;
  } catch (error) {
    throw syntaxError(file, error instanceof Error ? error.message : String(error));
  }
  return { file, text, body, blocks: scanBlocks(text) };
}

/** hcl2json reports `parse config: [main.tf:2,7-3,1: Invalid expression; Expected the start of …]`. */
function syntaxError(file: string, message: string): InputError {
  const match = /:(\d+),(\d+)(?:-[\d,]+)?: ([^;\]]+)(?:; ([^\]]*))?/.exec(message);
  if (!match) return new InputError(file, 'not valid HCL');
  const detail = match[4] ? `: ${match[4].trim()}` : '';
  return new InputError(
    file,
    `${(match[3] as string).trim()}${detail}`.replace(/\s+/g, ' ').slice(0, 300),
    Number(match[1]),
    Number(match[2]),
  );
}

/** The value tree (as hcl2json shapes it, attributes as `Expr`) and the positions of a file's blocks. */
export function readHcl(text: string): { body: Record<string, unknown>; blocks: BlockNode } {
  const reader = new Reader(text);
  const { body, node } = reader.body(false);
  return { body, blocks: { type: '', labels: [], at: { line: 1, column: 1 }, ...node } };
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

class Reader {
  private i = 0;
  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  /** Attributes and blocks up to the end of the file, or (`nested`) up to the closing brace. */
  private depth = 0;

  body(nested: boolean): {
    body: Record<string, unknown>;
    node: { attributes: Map<string, Position>; blocks: BlockNode[] };
  } {
    const body: Record<string, unknown> = {};
    const attributes = new Map<string, Position>();
    const blocks: BlockNode[] = [];
    for (;;) {
      this.skipBlank();
      const c = this.text[this.i];
      if (c === undefined) {
        if (nested) throw new SyntaxFault('a block is not closed', this.i);
        break;
      }
      if (c === '}') {
        if (!nested) throw new SyntaxFault('an unexpected "}"', this.i);
        this.i++;
        break;
      }
      const start = this.i;
      const name = this.identifier();
      const at = this.lines.position(start);
      this.skipInline();
      if (this.text[this.i] === '=' && this.text[this.i + 1] !== '=') {
        this.i++;
        if (Object.hasOwn(body, name)) throw new SyntaxFault(`attribute "${name}" is defined twice`, start);
        body[name] = this.expression();
        attributes.set(name, at);
        this.endOfItem();
        continue;
      }
      const labels: string[] = [];
      while (this.text[this.i] !== '{') {
        labels.push(this.text[this.i] === '"' ? this.label() : this.identifier());
        this.skipInline();
      }
      this.i++;
      if (++this.depth > MAX_NESTING) throw new TooDeep(`blocks nested more than ${MAX_NESTING} levels deep`, start);
      const inner = this.body(true);
      this.depth--;
      blocks.push({ type: name, labels, at, ...inner.node });
      place(body, name, labels, inner.body);
      this.endOfItem();
    }
    return { body, node: { attributes, blocks } };
  }

  /** An attribute's expression: up to the newline (or a one-line block's `}`) outside any bracket, parsed. */
  private expression(): Expr {
    const start = this.i;
    let depth = 0;
    while (this.i < this.text.length) {
      const c = this.text[this.i] as string;
      if (c === '"') this.i = stringEnd(this.text, this.i + 1) + 1;
      else if (c === '<' && this.text[this.i + 1] === '<' && /[-A-Za-z_]/.test(this.text[this.i + 2] ?? '')) {
        this.i = readHeredoc(this.text, this.i).end;
      } else if (c === '#' || (c === '/' && this.text[this.i + 1] === '/')) this.toLineEnd();
      else if (c === '/' && this.text[this.i + 1] === '*') this.skipComment();
      else if (c === '\n' && depth === 0) break;
      else if (c === '}' && depth === 0) break;
      else {
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') depth--;
        if (depth < 0) throw new SyntaxFault(`an unexpected ${JSON.stringify(c)}`, this.i);
        this.i++;
      }
    }
    const text = this.text.slice(start, this.i);
    try {
      parseExpression(text);
    } catch (error) {
      if (error instanceof RangeError) throw new TooDeep('an expression nested too deeply', start);
      if (error instanceof TooDeep) throw new TooDeep(error.message, start + error.offset);
      if (error instanceof SyntaxFault) throw new SyntaxFault(error.message, start + error.offset);
      throw error;
    }
    return new Expr(text);
  }

  /** After an attribute or block: only blanks and a comment before the newline (or the enclosing `}`). */
  private endOfItem(): void {
    this.skipInline();
    const c = this.text[this.i];
    if (c === '\n') this.i++;
    else if (c !== undefined && c !== '}')
      throw new SyntaxFault(`unexpected ${JSON.stringify(c)} after an item`, this.i);
  }

  private identifier(): string {
    IDENT.lastIndex = this.i;
    const match = IDENT.exec(this.text);
    if (!match) throw new SyntaxFault('expected a name', this.i);
    this.i += match[0].length;
    return match[0];
  }

  private label(): string {
    const end = stringEnd(this.text, this.i + 1);
    const raw = this.text.slice(this.i + 1, end);
    if (raw.includes('${') || raw.includes('\\')) throw new SyntaxFault('a block label must be a plain string', this.i);
    this.i = end + 1;
    return raw;
  }

  /** Blanks, newlines and comments. */
  private skipBlank(): void {
    for (;;) {
      this.skipInline();
      if (this.text[this.i] === '\n') this.i++;
      else return;
    }
  }

  /** Blanks and comments on the current line (a `/* … *\/` comment may span lines). */
  private skipInline(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '#' || (c === '/' && this.text[this.i + 1] === '/')) this.toLineEnd();
      else if (c === '/' && this.text[this.i + 1] === '*') this.skipComment();
      else return;
    }
  }

  private toLineEnd(): void {
    const end = this.text.indexOf('\n', this.i);
    this.i = end === -1 ? this.text.length : end;
  }

  private skipComment(): void {
    const end = this.text.indexOf('*/', this.i + 2);
    if (end === -1) throw new SyntaxFault('a comment is not closed', this.i);
    this.i = end + 2;
  }
}

/** Puts a block where hcl2json does: `type: [body]`, `type: {label: [body]}`, `type: {a: {b: [body]}}`. */
function place(
  body: Record<string, unknown>,
  type: string,
  labels: readonly string[],
  content: Record<string, unknown>,
): void {
  let holder = body;
  let key = type;
  for (const label of labels) {
    const existing = holder[key];
    if (
      existing !== undefined &&
      (existing instanceof Expr || typeof existing !== 'object' || Array.isArray(existing))
    ) {
      throw new SyntaxFault(`block "${type}" mixes labels`, 0);
    }
    holder[key] = existing ?? {};
    holder = holder[key] as Record<string, unknown>;
    key = label;
  }
  const list = holder[key];
  if (list !== undefined && !Array.isArray(list)) throw new SyntaxFault(`"${key}" is both an attribute and a block`, 0);
  holder[key] = [...((list as unknown[] | undefined) ?? []), content];
}
