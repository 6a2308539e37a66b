import type { Position } from '../../model/provenance.js';
import { LineIndex } from '../parse/lines.js';

/** Where a block's attributes and nested blocks start in the file, in the order they appear. */
export interface BlockNode {
  readonly type: string;
  readonly labels: readonly string[];
  readonly at: Position;
  readonly attributes: ReadonlyMap<string, Position>;
  readonly blocks: readonly BlockNode[];
}

/**
 * Finds where every block and attribute of an HCL file starts. `@cdktf/hcl2json` gives values without
 * positions; this scanner only walks the structure (identifiers, labels, braces), skipping over expressions,
 * strings, heredocs and comments. It runs on text hcl2json has already accepted, so it need not report errors.
 */
export function scanBlocks(text: string): BlockNode {
  const scanner = new Scanner(text);
  return { type: '', labels: [], at: { line: 1, column: 1 }, ...scanner.body() };
}

/** The `index`th nested block named `type` (blocks of one type become a list in hcl2json's output). */
export function childBlock(node: BlockNode | undefined, type: string, index = 0): BlockNode | undefined {
  return node?.blocks.filter((b) => b.type === type)[index];
}

const IDENT = /[A-Za-z0-9_\-.]/;

class Scanner {
  private i = 0;
  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  body(): { attributes: Map<string, Position>; blocks: BlockNode[] } {
    const attributes = new Map<string, Position>();
    const blocks: BlockNode[] = [];
    for (;;) {
      this.skipSpace(true);
      const c = this.text[this.i];
      if (c === undefined) break;
      if (c === '}') {
        this.i++;
        break;
      }
      const start = this.i;
      const name = this.identifier();
      if (name === '') {
        this.i++; // not a statement start: step over it (hcl2json accepted the file, so this is rare)
        continue;
      }
      const at = this.lines.position(start);
      this.skipSpace(false);
      if (this.text[this.i] === '=' && this.text[this.i + 1] !== '=') {
        this.i++;
        if (!attributes.has(name)) attributes.set(name, at);
        this.skipExpression();
        continue;
      }
      const labels: string[] = [];
      while (this.i < this.text.length && this.text[this.i] !== '{') {
        if (this.text[this.i] === '"') labels.push(this.stringLiteral());
        else {
          const label = this.identifier();
          if (label === '') break;
          labels.push(label);
        }
        this.skipSpace(false);
      }
      if (this.text[this.i] !== '{') continue;
      this.i++;
      blocks.push({ type: name, labels, at, ...this.body() });
    }
    return { attributes, blocks };
  }

  private identifier(): string {
    const start = this.i;
    while (this.i < this.text.length && IDENT.test(this.text[this.i] as string)) this.i++;
    return this.text.slice(start, this.i);
  }

  /** Skips blanks and comments; newlines too when `newlines`. */
  private skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.i++;
      else if (c === '#' || (c === '/' && this.text[this.i + 1] === '/')) this.skipToLineEnd();
      else if (c === '/' && this.text[this.i + 1] === '*') {
        const end = this.text.indexOf('*/', this.i + 2);
        this.i = end === -1 ? this.text.length : end + 2;
      } else return;
    }
  }

  private skipToLineEnd(): void {
    const end = this.text.indexOf('\n', this.i);
    this.i = end === -1 ? this.text.length : end;
  }

  /** An attribute's expression: up to the newline outside any bracket. */
  private skipExpression(): void {
    let depth = 0;
    while (this.i < this.text.length) {
      const c = this.text[this.i] as string;
      if (c === '"') this.stringLiteral();
      else if (c === '<' && this.text[this.i + 1] === '<' && /[-A-Za-z_]/.test(this.text[this.i + 2] ?? '')) {
        this.heredoc();
      } else if (c === '#' || (c === '/' && this.text[this.i + 1] === '/')) this.skipToLineEnd();
      else if (c === '/' && this.text[this.i + 1] === '*') this.skipSpace(false);
      else if (c === '\n' && depth <= 0) return;
      else {
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') {
          if (depth === 0) return; // a one-line block's closing brace
          depth--;
        }
        this.i++;
      }
    }
  }

  /** A quoted string (with `${…}` interpolations that may hold strings); returns its raw content. */
  private stringLiteral(): string {
    const start = ++this.i;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        return this.text.slice(start, this.i - 1);
      } else if ((c === '$' || c === '%') && this.text[this.i + 1] === '{') {
        this.i += 2;
        this.interpolation();
      } else if (c === '\n') return this.text.slice(start, this.i);
      else this.i++;
    }
    return this.text.slice(start);
  }

  private interpolation(): void {
    let depth = 1;
    while (this.i < this.text.length && depth > 0) {
      const c = this.text[this.i];
      if (c === '"') {
        this.stringLiteral();
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') depth--;
      this.i++;
    }
  }

  private heredoc(): void {
    const match = /^<<-?([A-Za-z_][A-Za-z0-9_]*)/.exec(this.text.slice(this.i, this.i + 100));
    if (!match) {
      this.i += 2;
      return;
    }
    const marker = match[1] as string;
    let lineEnd = this.text.indexOf('\n', this.i);
    while (lineEnd !== -1) {
      const next = this.text.indexOf('\n', lineEnd + 1);
      const line = this.text.slice(lineEnd + 1, next === -1 ? this.text.length : next);
      if (line.trim() === marker) {
        this.i = next === -1 ? this.text.length : next;
        return;
      }
      lineEnd = next;
    }
    this.i = this.text.length;
  }
}
