import type { Fragment } from './fragment.js';
import type { JsonDoc } from './parse/json.js';

export const INPUT_FORMATS = ['arm', 'arm-template', 'bicep', 'kubernetes', 'terraform', 'terraform-plan'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** One input: a file's text, parsed as JSON at most once and only when a source asks. */
export interface Input {
  readonly file: string;
  readonly text: string;
  /** The text parsed as JSON (comments and trailing commas allowed); throws an InputError when it is not. */
  json(): JsonDoc;
}

/** One input kind: `detect` recognises it, `load` turns it into the parts of the clusters it describes. */
export interface Source {
  readonly format: InputFormat;
  readonly description: string;
  /** File name endings a folder scan considers for this kind. */
  readonly extensions: readonly string[];
  detect(input: Input): boolean;
  load(input: Input): Fragment | Promise<Fragment>;
}
