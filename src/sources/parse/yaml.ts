import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type YAMLError,
} from 'yaml';
import { InputError } from '../../model/errors.js';
import { kubePath } from '../../model/kubernetes.js';
import type { Path, Position, SourceDoc } from '../../model/provenance.js';
import { yamlProblem } from '../../model/yaml-errors.js';
import { limits, tooLarge } from '../limits.js';

/** One document of a YAML stream: its value, and a SourceDoc that locates paths inside it. */
export interface YamlDocument {
  readonly value: unknown;
  readonly doc: SourceDoc;
}

/**
 * Aliases a document may expand before it is refused. Real manifests use a handful; a "billion laughs" bomb needs
 * exponentially many, and `yaml` counts them before building anything big.
 */
const MAX_ALIAS_EXPANSIONS = 1000;

/**
 * Parses a multi-document YAML stream as kubectl reads it (YAML 1.1: `yes`/`no` booleans, `0644` octal). A syntax
 * error, a duplicate key or an alias bomb is an InputError with the line and column.
 */
export function parseYamlDocuments(file: string, text: string, maxBytes = limits().yamlBytes): YamlDocument[] {
  // Checked on characters, not bytes: one character is at least one byte, and counting bytes would copy the text.
  if (text.length > maxBytes) throw tooLarge(file, maxBytes, 'AKSGUARD_MAX_YAML_MB', YAML_IS_SLOW);
  const lines = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, {
      lineCounter: lines,
      prettyErrors: false,
      version: '1.1',
    }) as Document.Parsed[];
  } catch (error) {
    throw new InputError(
      file,
      `cannot read this YAML: ${error instanceof RangeError ? 'it is nested too deeply' : 'the parser failed on it'}`,
    );
  }
  return documents.map((document) => {
    const error = document.errors[0];
    if (error) throw yamlError(file, lines, error);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
    } catch (failure) {
      const where = lines.linePos(document.range[0]);
      const message = failure instanceof Error ? failure.message : '';
      const reason = /excessive alias/i.test(message)
        ? 'its aliases expand too far (a "billion laughs" alias bomb?); refused'
        : /unresolved alias/i.test(message)
          ? 'invalid YAML: an alias to an anchor that is not set before it'
          : `cannot read this YAML document (${failure instanceof RangeError ? 'nested too deeply' : 'the parser failed on it'})`;
      throw new InputError(file, reason, where.line, where.col);
    }
    return { value, doc: new YamlDoc(file, document, lines) };
  });
}

/** Where and what, in words of our own: the library's messages quote the offending text. */
function yamlError(file: string, lines: LineCounter, error: YAMLError): InputError {
  const { line, col } = lines.linePos(error.pos[0]);
  const reason = /call stack/i.test(error.message) ? 'it is nested too deeply' : yamlProblem(error.code);
  return new InputError(file, `invalid YAML: ${reason}`, line, col);
}

const YAML_IS_SLOW = 'YAML reads about a hundred times slower than JSON: convert it, e.g. `yq -o json`';

/** Points at the key of a mapping entry (or the item of a list), the closest existing one to the path asked for. */
class YamlDoc implements SourceDoc {
  constructor(
    readonly file: string,
    private readonly document: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  locate(path: Path): Position | undefined {
    let node = this.resolve(this.document.contents);
    let offset = node?.range?.[0];
    for (const segment of path) {
      const next = this.child(node, segment);
      if (!next) break;
      offset = next.offset;
      node = next.node;
    }
    if (offset === undefined) return undefined;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  describe(path: Path): string {
    return kubePath(path);
  }

  private child(
    node: Node | null | undefined,
    segment: string | number,
  ): { node: Node | null; offset: number } | undefined {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      const keyNode = pair?.key as Node | undefined;
      if (!pair || !keyNode?.range) return undefined;
      return { node: this.resolve(pair.value as Node | null), offset: keyNode.range[0] };
    }
    if (isSeq(node) && typeof segment === 'number') {
      const item = this.resolve(node.items[segment] as Node | undefined);
      return item?.range ? { node: item, offset: item.range[0] } : undefined;
    }
    return undefined;
  }

  private resolve(node: Node | null | undefined): Node | null {
    if (isAlias(node)) return (node.resolve(this.document) as Node | undefined) ?? null;
    return node ?? null;
  }
}
