#!/usr/bin/env node
// Dependencies point one way (CONVENTIONS.md): cli → engine/sources/report → model; rules import only model and
// rules/util; nothing but src/kube and src/azure (and the reboot adapters) may import network clients.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;
const allowed = {
  model: ['model'],
  rules: ['model', 'rules'],
  engine: ['model', 'engine'],
  sources: ['model', 'sources'],
  report: ['model', 'report'],
};
const NETWORK = /^(@kubernetes\/client-node|@azure\/|node:https?$|node:net$)/;
const NETWORK_LAYERS = new Set(['kube', 'azure', 'reboot', 'cli']);

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const problems = [];
for (const file of files(SRC)) {
  const layer = relative(SRC, file).split(sep)[0];
  const source = readFileSync(file, 'utf8');
  for (const [, spec] of source.matchAll(/^(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)) {
    if (spec.startsWith('.')) {
      const target = relative(SRC, join(file, '..', spec)).split(sep)[0];
      if (allowed[layer] && !allowed[layer].includes(target))
        problems.push(`${relative(SRC, file)}: ${layer} may not import ${target} (${spec})`);
    } else if (NETWORK.test(spec) && !NETWORK_LAYERS.has(layer)) {
      problems.push(`${relative(SRC, file)}: only src/kube, src/azure and src/reboot talk to a network (${spec})`);
    }
  }
}
if (problems.length > 0) {
  console.error(`Layering violations (see CONVENTIONS.md):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
