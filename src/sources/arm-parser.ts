/** The syntax tree of one ARM template language expression (the text between `[` and `]`). */
export type Node =
  | { readonly type: 'literal'; readonly value: string | number }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Node[] }
  | { readonly type: 'member'; readonly object: Node; readonly property: string }
  | { readonly type: 'index'; readonly object: Node; readonly index: Node };

/** Calls nested deeper than this are refused: no real template comes close, and a hostile one could overflow the stack. */
const MAX_NESTING = 100;

/** Parses an expression's text (without its brackets); throws an Error saying what is wrong. */
export function parseExpression(source: string): Node {
  return new Parser(source).parseWhole();
}

class Parser {
  private at = 0;
  private nesting = 0;

  constructor(private readonly source: string) {}

  parseWhole(): Node {
    const node = this.parseExpression();
    this.skipSpace();
    if (this.at < this.source.length) throw new Error(`unexpected '${this.source[this.at]}'`);
    return node;
  }

  private parseExpression(): Node {
    if (++this.nesting > MAX_NESTING) throw new Error(`nested more than ${MAX_NESTING} levels deep`);
    this.skipSpace();
    let node = this.parsePrimary();
    for (;;) {
      this.skipSpace();
      const char = this.source[this.at];
      if (char === '.') {
        this.at++;
        node = { type: 'member', object: node, property: this.identifier() };
      } else if (char === '[') {
        this.at++;
        const index = this.parseExpression();
        this.expect(']');
        node = { type: 'index', object: node, index };
      } else {
        this.nesting--;
        return node;
      }
    }
  }

  private parsePrimary(): Node {
    const char = this.source[this.at];
    if (char === "'") return { type: 'literal', value: this.string() };
    if (char !== undefined && /[-\d]/.test(char)) {
      const match = /^-?\d+(\.\d+)?/.exec(this.source.slice(this.at, this.at + 64));
      if (!match) throw new Error('invalid number');
      this.at += match[0].length;
      return { type: 'literal', value: Number(match[0]) };
    }
    const name = this.identifier();
    this.skipSpace();
    this.expect('(');
    const args: Node[] = [];
    this.skipSpace();
    if (this.source[this.at] !== ')') {
      for (;;) {
        args.push(this.parseExpression());
        this.skipSpace();
        if (this.source[this.at] !== ',') break;
        this.at++;
      }
    }
    this.expect(')');
    return { type: 'call', name, args };
  }

  private string(): string {
    const parts: string[] = [];
    let start = ++this.at;
    for (;;) {
      const quote = this.source.indexOf("'", this.at);
      if (quote === -1) throw new Error('unterminated string');
      parts.push(this.source.slice(start, quote));
      this.at = quote + 1;
      if (this.source[this.at] !== "'") return parts.join("'");
      start = ++this.at;
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_]\w*/.exec(this.source.slice(this.at, this.at + 256));
    if (!match) throw new Error(`expected a name at '${this.source.slice(this.at, this.at + 10)}'`);
    this.at += match[0].length;
    return match[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.source[this.at] !== char) throw new Error(`expected '${char}'`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.source[this.at] === ' ' || this.source[this.at] === '\t') this.at++;
  }
}
