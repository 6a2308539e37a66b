import { describe, expect, it } from 'vitest';
import { ARM_CASES } from './arm-cases.js';
import { FILE_CASES } from './file-cases.js';
import { runCase, TEST_BOUNDS } from './harness.js';
import { SERVER_CASES } from './server-cases.js';
import { TERRAFORM_CASES } from './terraform-cases.js';

/**
 * Every hostile input of issue 13 (and more), each run through the built CLI, a few at once: it must end with
 * exit 0, 1 or 2; a failure must be one line with no stack trace and no raw control character; and the run must
 * stay under the test bounds (see `TEST_BOUNDS`: the 1.5 GB memory bound and the 30 s of CPU of DESIGN.md, and a
 * wall time loosened for a busy machine). `npm run bench` runs the same cases one at a time and prints the worst.
 */
describe.concurrent.each([
  ['files and streams', FILE_CASES],
  ['misbehaving servers', SERVER_CASES],
  ['Terraform', TERRAFORM_CASES],
  ['ARM', ARM_CASES],
])('hostile inputs: %s', (_, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, hostile) => {
      const { problems } = await runCase(hostile);
      expect(problems).toEqual([]);
    },
    TEST_BOUNDS.ms * 2,
  );
});
