import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/**
 * No Docker engine runs here, so the image is never built in tests. These checks catch what breaks it most often:
 * a folder the package ships (and the CLI reads at run time) missing from the runtime image, or the wrong bases.
 */
const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);

describe('deploy/Dockerfile', () => {
  it('builds with Node 20 and runs on distroless Node 20 (Debian 12, like the build stage)', () => {
    expect(stages.map((s) => s.split('\n')[0])).toEqual([
      'node:20-bookworm AS build',
      'gcr.io/distroless/nodejs20-debian12',
    ]);
    expect(dockerfile).toContain('ENTRYPOINT ["/nodejs/bin/node", "/app/bin/aksguard"]');
  });

  it('copies into the runtime image everything package.json ships, and package.json itself (the version)', () => {
    const runtime = stages[1] as string;
    const { files } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    for (const entry of [...files, 'package.json', 'node_modules']) {
      expect(runtime, entry).toMatch(
        new RegExp(`^COPY (--from=build /app/)?${entry} \\./${entry === 'package.json' ? '' : entry}`, 'm'),
      );
    }
  });

  it('brings nsenter for the reboot and sentinel commands (distroless has none)', () => {
    expect(dockerfile).toMatch(/cp --parents \/usr\/bin\/nsenter/);
    expect(stages[1]).toContain('COPY --from=build /out/ /');
  });
});
