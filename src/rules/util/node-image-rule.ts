import { defineRule, type Rule, type RuleContext, type RuleMeta } from '../../model/rule.js';
import { nodeImages } from './node-images.js';
import { judge } from './report.js';
import { imageBuild, isBehind, isoDate } from './versions.js';

/**
 * How old is too old for an image built at `built`, when no upgrade profile names the latest image: whether it is
 * out of date at the scan time, and the message's account of its date against that test.
 */
export type BuildDateTest = (
  built: Date,
  context: RuleContext,
) => { readonly outdated: boolean; readonly account: string };

export interface NodeImageRuleSpec {
  readonly meta: RuleMeta;
  /** Windows pools, or Linux pools: a pool whose OS the input does not state is neither rule's. */
  readonly windows: boolean;
  readonly byBuildDate: BuildDateTest;
}

/**
 * `patching/node-image-outdated` and `patching/windows-node-image-outdated`: a pool is behind when its upgrade
 * profile names a newer image; without one, the image's build date decides, by the OS's own test (age for Linux,
 * the last Patch Tuesday due for Windows). One finding per pool, naming the node when a label gave the version.
 */
export function nodeImageRule({ meta, windows, byBuildDate }: NodeImageRuleSpec): Rule {
  const kind = windows ? 'Windows pool' : 'pool';
  return defineRule({
    meta,
    check(snapshot, context) {
      return nodeImages(snapshot).flatMap(({ pool, version, windows: isWindows, latest, node }) => {
        const image = version.text;
        if (isWindows !== windows || !image) return [];
        const named = `${kind} ${node ? `${pool} (node ${node})` : pool} runs node image ${image}`;
        if (latest) return judge(version, isBehind(image, latest), `${named}; ${latest} is available`);
        const built = imageBuild(image);
        if (!built) return [];
        const { outdated, account } = byBuildDate(built.date, context);
        return judge(version, outdated, `${named}, built ${isoDate(built.date)}${account}`);
      });
    },
  });
}
