import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'monitoring/image-cleaner-disabled',
    title: 'Unused vulnerable images stay on nodes',
    severity: 'low',
    seed: 'Image Cleaner removes unused images with known vulnerabilities from nodes.',
    refs: {},
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --enable-image-cleaner',
      terraform: 'image_cleaner_enabled = true; image_cleaner_interval_hours = 48',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const enabled = settings.get('securityProfile.imageCleaner.enabled');
      return judge(
        enabled,
        not(enabled.isTrue()),
        `Image Cleaner is off (securityProfile.imageCleaner.enabled: ${enabled.shown})`,
      );
    });
  },
});
