import rule from '../../../src/rules/patching/maintenance-window-missing.js';
import {
  azShow,
  CLUSTER,
  maintenanceConfiguration,
  param,
  TEMPLATE_CLUSTER,
  template,
} from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const NODE_OS_SCHEDULE = 'aksManagedNodeOSUpgradeSchedule';
const AUTO_UPGRADE_SCHEDULE = 'aksManagedAutoUpgradeSchedule';
/** A maintenance configuration as an ARM template child resource of `tpl`. */
const scheduleResource = (name: string) => ({
  type: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
  apiVersion: '2024-09-01',
  name: `tpl/${name}`,
  properties: {
    maintenanceWindow: {
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
      durationHours: 4,
      startTime: '01:00',
    },
  },
});
const az = (nodeOsUpgradeChannel: string) =>
  azShow({ autoUpgradeProfile: { nodeOsUpgradeChannel }, agentPoolProfiles: [pool()] });
const withSchedules = (channel: string, ...names: string[]) => ({
  'cluster.json': az(channel),
  'maintenance.json': names.map(maintenanceConfiguration),
});

testRule(rule, {
  valid: [
    {
      name: 'template: NodeImage with the node OS schedule as a child resource',
      input: template(
        { autoUpgradeProfile: { nodeOSUpgradeChannel: 'NodeImage' } },
        { resources: [scheduleResource(NODE_OS_SCHEDULE)] },
      ),
    },
    {
      name: 'az: SecurityPatch and the schedule in a maintenance configuration list',
      files: true,
      input: withSchedules('SecurityPatch', NODE_OS_SCHEDULE),
    },
    {
      name: 'schedule name in another casing',
      files: true,
      input: withSchedules('NodeImage', 'aksmanagednodeosupgradeschedule'),
    },
    {
      name: 'Unmanaged: AKS does not upgrade nodes, nothing to schedule',
      input: template({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'Unmanaged' } }),
    },
    { name: 'None', input: template({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'None' } }) },
    {
      name: 'missing channel, API version 2023-01-01: Unmanaged by default',
      input: template({}, { apiVersion: '2023-01-01' }),
    },
    { name: 'az output of an Unmanaged cluster, no maintenance input', input: az('Unmanaged') },
  ],
  invalid: [
    {
      name: 'template: NodeImage and no maintenance configuration',
      input: template({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'NodeImage' } }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties',
          message: /"NodeImage" upgrades nodes at any time/,
        },
      ],
    },
    {
      name: 'template: missing channel, API version 2024-09-01 (NodeImage by default)',
      input: template({}),
      errors: [
        { resource: TEMPLATE_CLUSTER, path: 'resources[0].properties', message: /NodeImage \(not set; the default\)/ },
      ],
    },
    {
      name: 'template: only the cluster auto-upgrade schedule',
      input: template(
        { autoUpgradeProfile: { nodeOSUpgradeChannel: 'SecurityPatch' } },
        { resources: [scheduleResource(AUTO_UPGRADE_SCHEDULE)] },
      ),
      errors: [{ resource: TEMPLATE_CLUSTER, path: 'resources[0].properties' }],
    },
    {
      name: 'az with a maintenance list that lacks the node OS schedule',
      files: true,
      input: withSchedules('NodeImage', AUTO_UPGRADE_SCHEDULE, 'default'),
      errors: [{ resource: CLUSTER, path: '' }],
    },
    {
      name: 'az output alone never includes maintenance configurations: unknown',
      input: az('NodeImage'),
      errors: [
        {
          resource: CLUSTER,
          path: '',
          unknown: true,
          severity: 'info',
          message: /maintenance configurations are not part of the input/,
        },
      ],
    },
    {
      name: 'ARM REST body with NodeImage (properties wrapper), no maintenance input: unknown',
      input: aks({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'NodeImage' } }),
      errors: [{ resource: CLUSTER, path: 'properties', unknown: true }],
    },
    {
      name: 'template: channel from a parameter without default: unknown',
      input: template({ autoUpgradeProfile: { nodeOSUpgradeChannel: param('nodeOs') } }, { parameters: ['nodeOs'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.autoUpgradeProfile.nodeOSUpgradeChannel',
          unknown: true,
        },
      ],
    },
  ],
});
