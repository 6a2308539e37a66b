// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text is written as it appears in a .tf file
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { Unresolved } from '../../src/model/unresolved.js';
import { scanBlocks } from '../../src/sources/terraform/blocks.js';
import { evaluate } from '../../src/sources/terraform/expression.js';
import { parseHcl, readHcl } from '../../src/sources/terraform/reader.js';
import { CORPUS, ROOT } from '../support/cli.js';
import { filesUnder } from '../support/corpus.js';
import { itWith } from '../support/layer.js';

const EMPTY = { reference: () => undefined };
/** A value tree for comparison: unknown parts as one marker (their wording differs with the expression's form). */
const comparable = (value: unknown): unknown => {
  if (value instanceof Unresolved) return '<unknown>';
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, comparable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
};
const positions = (blocks: unknown) => JSON.stringify(blocks, (_, v) => (v instanceof Map ? [...v] : v));

/** Every value and position aksguard's reader gives equals what hcl2json (and the block scanner) give. */
async function expectSameAsHcl2json(file: string): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const ours = readHcl(text);
  const theirs = (await parse(file, text)) as Record<string, unknown>;
  expect(comparable(evaluate(ours.body, EMPTY)), file).toEqual(comparable(evaluate(theirs, EMPTY)));
  expect(positions(ours.blocks), file).toBe(positions(scanBlocks(text)));
}

describe('aksguard reads HCL as hcl2json does', () => {
  const own = [
    ...filesUnder(join(ROOT, 'test/fixtures/terraform'), ['.tf', '.tfvars']),
    ...filesUnder(join(ROOT, 'bench'), ['.tf']),
  ];
  it('on the fixtures', async () => {
    expect(own.length).toBeGreaterThan(5);
    for (const file of own) await expectSameAsHcl2json(file);
  });

  itWith('corpus')('on the real configurations of the shared corpus', async () => {
    const root = join(CORPUS, 'terraform');
    const files = filesUnder(root, ['.tf', '.tfvars']);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) await expectSameAsHcl2json(file);
  });

  it('on the constructs real modules use', async () => {
    const text = `# comment {
locals {
  heredoc = <<-EOT
    {"a": "\${var.x}"}
    EOT
  plain   = <<EOT
  kept as written: \\n and "quotes"
EOT
  escapes = "tab\\tnewline\\n\\"q\\" \\u00e9 $\${literal}"
  object  = { "quoted" = 1, bare = [true, null, -2.5e3], (var.k) = "dynamic" }
  fn      = provider::azapi::parse_resource_id("t", var.id).name
  legacy  = var.list.0.name
  splat   = var.pools[*].name
  nested  = { for k, v in var.m : k => [for i in v : i if i != null] }
  tpl     = "%{ for x in var.l ~}\${x},%{ endfor ~}"
}
resource "x" "y" { a = 1 }
dynamic_blocks "a" "b" {
  /* multi
     line */
  inner { value = 2 }
}
`;
    const ours = readHcl(text);
    const theirs = (await parse('constructs.tf', text)) as Record<string, unknown>;
    expect(comparable(evaluate(ours.body, EMPTY))).toEqual(comparable(evaluate(theirs, EMPTY)));
    const locals = evaluate(ours.body.locals, EMPTY) as Record<string, unknown>[];
    expect(locals[0]?.heredoc).toEqual(new Unresolved('var.x', 'not declared in this module'));
    expect(locals[0]?.escapes).toBe('tab\tnewline\n"q" é ${literal}');
    expect(locals[0]?.plain).toBe('  kept as written: \\n and "quotes"\n');
  });

  it('leaves syntax errors to hcl2json, so the message is the one Terraform users know', async () => {
    await expect(parseHcl('bad.tf', 'resource "a" "b" {\n  name = \n}\n')).rejects.toMatchObject({
      file: 'bad.tf',
      line: 2,
      message: expect.stringMatching(/Invalid expression/),
    });
    await expect(parseHcl('twice.tf', 'a = 1\na = 2\n')).rejects.toMatchObject({
      line: 2,
      message: expect.stringMatching(/Attribute redefined/),
    });
  });
});
