import { describe, expect, it } from 'vitest';
import { commentIgnores, templateIgnores } from '../../src/sources/inline-ignores.js';

const covers = (text: string, syntax: 'hcl' | 'bicep' = 'hcl') =>
  commentIgnores('main.tf', text, syntax).ignores.map((i) => ({ line: i.line, ...i.covers, rules: i.rules }));

describe('aksguard:ignore comments in Terraform', () => {
  it('above a resource: the whole block; above or after an attribute: that attribute, to where its brackets close', () => {
    const text = [
      '# aksguard:ignore node-access/ssh-enabled -- lab cluster until 2027-01-31', // 1
      'resource "azurerm_kubernetes_cluster" "lab" {', // 2
      '  name = "lab" // aksguard:ignore identity/* -- a trailing comment', // 3
      '  // aksguard:ignore control-plane/authorized-ranges-too-broad,control-plane -- office ranges', // 4
      '', // 5
      '  api_server_access_profile {', // 6
      '    authorized_ip_ranges = [', // 7
      '      "0.0.0.0/0", # a range, and "}" in a string', // 8
      '    ]', // 9
      '  }', // 10
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL interpolation, not a JavaScript one
      '  tags = { team = "${var.team}-{x}" }', // 11
      '}', // 12
      'resource "azurerm_kubernetes_cluster_node_pool" "p" { # aksguard:ignore node-access -- pool on its own line', // 13
      '  name = "p"', // 14
      '}', // 15
    ].join('\n');
    expect(covers(text)).toEqual([
      { line: 1, from: 2, to: 12, rules: ['node-access/ssh-enabled'] },
      { line: 3, from: 3, to: 3, rules: ['identity/*'] },
      { line: 4, from: 6, to: 10, rules: ['control-plane/authorized-ranges-too-broad', 'control-plane'] },
      { line: 13, from: 13, to: 15, rules: ['node-access'] },
    ]);
    expect(commentIgnores('main.tf', text, 'hcl').ignores[0]).toMatchObject({
      reason: 'lab cluster',
      expires: '2027-01-31',
    });
  });

  it('steps over heredocs, block comments and strings that hold comment or brace characters', () => {
    const text = [
      'locals {', // 1
      '  script = <<-EOT', // 2
      '    # aksguard:ignore a/b -- inside a heredoc is text, not a comment', // 3
      '    }}}', // 4
      '  EOT', // 5
      '  /* # aksguard:ignore a/b -- in a block comment */', // 6
      '  url = "http://example.com/#aksguard:ignore"', // 7
      '}', // 8
      '# aksguard:ignore c/d -- after all that, the depth is right', // 9
      'resource "x" "y" {', // 10
      '}', // 11
    ].join('\n');
    expect(covers(text)).toEqual([{ line: 9, from: 10, to: 11, rules: ['c/d'] }]);
  });

  it('a malformed comment is a problem with its line and covers nothing', () => {
    const text = [
      '# aksguard:ignore node-access/ssh-enabled', // 1: no reason
      'resource "x" "y" {}',
      '# aksguard:ignore node-access/ssh-enabled -- why until 2027-13-01', // 3: not a date
      'resource "x" "z" {}',
      '# aksguard:ignore a/b -- nothing below', // 5
    ].join('\n');
    const { ignores, problems } = commentIgnores('main.tf', text, 'hcl');
    expect(ignores).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'main.tf',
        line: 1,
        message:
          'aksguard:ignore must read "<rule>[,<rule>] -- <reason> [until YYYY-MM-DD]" (no \' -- \' before a reason); it is not applied',
      },
      {
        file: 'main.tf',
        line: 3,
        message: "aksguard:ignore 'until 2027-13-01' is not a date YYYY-MM-DD; it is not applied",
      },
      {
        file: 'main.tf',
        line: 5,
        message:
          'aksguard:ignore stands above nothing (it covers the statement on or below its line); it is not applied',
      },
    ]);
  });
});

describe('aksguard:ignore comments in Bicep', () => {
  it('covers the resource below, decorators included; # is a directive, not a comment', () => {
    const text = [
      '// aksguard:ignore identity/local-accounts-enabled -- break-glass account', // 1
      "@description('the cluster')", // 2
      '@metadata({', // 3
      "  owner: 'platform'", // 4
      '})', // 5
      "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {", // 6
      "  name: 'aks'", // 7
      '  properties: {', // 8
      '    #disable-next-line no-hardcoded-env-urls', // 9
      "    dnsPrefix: 'x' // aksguard:ignore monitoring -- logs go elsewhere", // 10
      "    kubernetesVersion: '''", // 11
      '    } multi-line string { ', // 12
      "    '''", // 13
      '  }', // 14
      '}', // 15
    ].join('\n');
    expect(covers(text, 'bicep')).toEqual([
      { line: 1, from: 2, to: 15, rules: ['identity/local-accounts-enabled'] },
      { line: 10, from: 10, to: 10, rules: ['monitoring'] },
    ]);
  });
});

describe('metadata.aksguard.ignore in ARM templates', () => {
  it('covers the resource by its path, child and nested-deployment resources too; malformed ones are problems', () => {
    const template = {
      resources: [
        {
          type: 'Microsoft.ContainerService/managedClusters',
          metadata: { aksguard: { ignore: 'node-access/ssh-enabled -- lab until 2027-01-31' } },
          resources: [{ type: 'agentPools', metadata: { aksguard: { ignore: ['monitoring -- a', 'identity -- b'] } } }],
        },
        {
          type: 'Microsoft.Resources/deployments',
          properties: {
            template: { resources: { aks: { metadata: { aksguard: { ignore: 'no reason' } } } } },
          },
        },
      ],
    };
    const { ignores, problems } = templateIgnores('t.json', template, (path) => path.length);
    expect(ignores.map((i) => [i.covers, i.rules, i.reason, i.expires])).toEqual([
      [{ path: 'resources[0]' }, ['node-access/ssh-enabled'], 'lab', '2027-01-31'],
      [{ path: 'resources[0].resources[0]' }, ['monitoring'], 'a', undefined],
      [{ path: 'resources[0].resources[0]' }, ['identity'], 'b', undefined],
    ]);
    expect(problems).toEqual([
      {
        file: 't.json',
        line: 9,
        message: expect.stringMatching(/^metadata\.aksguard\.ignore must read .*; it is not applied$/),
      },
    ]);
  });
});
