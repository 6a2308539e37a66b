import { createScanner, type JSONScanner } from 'jsonc-parser';
import type { Path } from '../../model/provenance.js';

/** jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot import). */
const SyntaxKind = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  CommaToken: 5,
  ColonToken: 6,
  StringLiteral: 10,
  EOF: 17,
} as const;

interface Spot {
  /** Where the value starts. */
  readonly value: number;
  /** Where a finding should point: the property key, or the value itself for array items and the root. */
  readonly anchor: number;
}

/**
 * Finds where a path's value sits in JSON text without building a tree: it walks only the containers on the
 * path, skips everything else token by token (no recursion, so any nesting depth is fine), and remembers every
 * child it passed so that the next lookup in the same container resumes instead of rescanning.
 */
export class JsonLocator {
  private readonly spots = new Map<string, Spot>();
  private readonly scanner: JSONScanner;

  constructor(text: string) {
    this.scanner = createScanner(text, true);
  }

  /** Offset to point at for `path`, or for its closest existing ancestor. */
  anchorOf(path: Path): number | undefined {
    let spot = this.root();
    if (!spot) return undefined;
    let key = '';
    for (const segment of path) {
      const childKey = `${key}\u0000${segment}`;
      const next: Spot | undefined = this.spots.get(childKey) ?? this.findChild(spot.value, key, segment);
      if (!next) break;
      spot = next;
      key = childKey;
    }
    return spot.anchor;
  }

  private root(): Spot | undefined {
    const cached = this.spots.get('');
    if (cached) return cached;
    this.scanner.setPosition(0);
    this.scanner.scan();
    if (this.scanner.getToken() === SyntaxKind.EOF) return undefined;
    const offset = this.scanner.getTokenOffset();
    const spot = { value: offset, anchor: offset };
    this.spots.set('', spot);
    return spot;
  }

  private findChild(containerOffset: number, parentKey: string, wanted: string | number): Spot | undefined {
    const s = this.scanner;
    s.setPosition(containerOffset);
    const open: number = s.scan();
    if (open !== SyntaxKind.OpenBraceToken && open !== SyntaxKind.OpenBracketToken) return undefined;
    const isObject = open === SyntaxKind.OpenBraceToken;
    for (let index = 0; ; index++) {
      let token: number = s.scan();
      if (token === SyntaxKind.CommaToken) token = s.scan();
      if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) return undefined;
      if (token === SyntaxKind.EOF) return undefined;
      let name: string | number = index;
      let anchor = s.getTokenOffset();
      if (isObject) {
        if (token !== SyntaxKind.StringLiteral) return undefined;
        name = s.getTokenValue();
        if (s.scan() !== SyntaxKind.ColonToken) return undefined;
        s.scan();
      } else {
        anchor = s.getTokenOffset();
      }
      const spot = { value: s.getTokenOffset(), anchor };
      const childKey = `${parentKey}\u0000${name}`;
      if (!this.spots.has(childKey)) this.spots.set(childKey, spot);
      if (name === wanted || (isObject && name === String(wanted))) return spot;
      this.skipValue();
    }
  }

  /** Skips the value whose first token was just scanned. */
  private skipValue(): void {
    const s = this.scanner;
    let depth = 0;
    let token: number = s.getToken();
    for (;;) {
      if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) depth++;
      else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) depth--;
      else if (token === SyntaxKind.EOF) return;
      if (depth <= 0) return;
      token = s.scan();
    }
  }
}
