// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text is written as it appears in a .tf file
import { describe, expect, it } from 'vitest';
import { childBlock, scanBlocks } from '../../src/sources/terraform/blocks.js';

describe('terraform block scanner', () => {
  it('finds blocks, labels, attributes and nested blocks with their lines', () => {
    const text = [
      '# comment with { braces',
      'resource "azurerm_kubernetes_cluster" "k8s" {',
      '  name = "a}b${var.x == "}" ? 1 : 2}"',
      '  tags = {',
      '    a = "{"',
      '  }',
      '  /* block comment { */',
      '  description = <<-EOT',
      '    text with } and {',
      '    EOT',
      '  default_node_pool {',
      '    name = "system" // trailing { comment',
      '  }',
      '  default_node_pool { name = "second" }',
      '  private_cluster_enabled = true',
      '}',
      'variable "x" {}',
    ].join('\n');
    const root = scanBlocks(text);
    expect(root.blocks.map((b) => [b.type, ...b.labels])).toEqual([
      ['resource', 'azurerm_kubernetes_cluster', 'k8s'],
      ['variable', 'x'],
    ]);
    const cluster = root.blocks[0];
    expect(cluster?.at.line).toBe(2);
    expect(cluster?.attributes.get('name')?.line).toBe(3);
    expect(cluster?.attributes.get('tags')?.line).toBe(4);
    expect(cluster?.attributes.get('description')?.line).toBe(8);
    expect(cluster?.attributes.get('private_cluster_enabled')).toEqual({ line: 15, column: 3 });
    expect(cluster?.attributes.has('a')).toBe(false);
    expect(childBlock(cluster, 'default_node_pool', 0)?.attributes.get('name')?.line).toBe(12);
    expect(childBlock(cluster, 'default_node_pool', 1)?.attributes.get('name')?.line).toBe(14);
    expect(root.blocks[1]?.at.line).toBe(17);
  });
});
