/**
 * What each `yaml` error code means, in words that never quote the input: the library's own messages repeat the
 * offending text (a tag, an escape, a token), and a parse error must not print what may be a secret.
 */
const YAML_PROBLEMS: Readonly<Record<string, string>> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an invalid alias or anchor',
  BAD_COLLECTION_TYPE: 'a tag that does not fit its collection',
  BAD_DIRECTIVE: 'an invalid directive (a line starting with %)',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'anchors and tags must come after the - or : indicator',
  BAD_SCALAR_START: 'a plain value cannot start with this character (quote it)',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection cannot be a map key',
  BLOCK_IN_FLOW: 'a block collection inside a flow collection ([…] or {…})',
  DUPLICATE_KEY: 'map keys must be unique',
  IMPOSSIBLE: 'malformed YAML',
  KEY_OVER_1024_CHARS: 'an implicit key longer than 1024 characters',
  MISSING_CHAR: 'a character is missing here (a closing quote, a comma, a colon, a dash or a space?)',
  MULTILINE_IMPLICIT_KEY: 'implicit keys need to be on a single line',
  MULTIPLE_ANCHORS: 'a node can have at most one anchor',
  MULTIPLE_DOCS: 'more than one document where one was expected',
  MULTIPLE_TAGS: 'a node can have at most one tag',
  NON_STRING_KEY: 'map keys must be strings',
  RESOURCE_EXHAUSTION: 'its aliases expand too far (a "billion laughs" alias bomb?)',
  TAB_AS_INDENT: 'tabs are not allowed as indentation',
  TAG_RESOLVE_FAILED: 'an unknown tag, or a value its tag cannot hold',
  UNEXPECTED_TOKEN: 'unexpected text here',
};

/** `map keys must be unique` for `DUPLICATE_KEY`; a generic phrase for a code this table does not know. */
export const yamlProblem = (code: string): string => YAML_PROBLEMS[code] ?? 'malformed YAML';
