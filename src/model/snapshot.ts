import type { KubernetesObjects } from './kubernetes.js';
import type { Settings } from './settings.js';
import type { Unresolved } from './unresolved.js';

/** What the scan judged: one AKS cluster (its Azure settings and, later, its Kubernetes objects). */
export interface Target {
  readonly id: string;
  readonly kind: 'aks-cluster';
  readonly name: string;
  /** The file (or `azure:`/`-`) the target was read from. */
  readonly source: string;
}

/**
 * How the cluster was described. `state` inputs (`az aks show`, ARM REST bodies, live Azure) report what exists;
 * `iac` inputs (ARM templates, Terraform) declare what will exist, so an absent child resource is really absent.
 */
export type Description = 'state' | 'iac';

export interface Pool {
  readonly name: string;
  /** The pool's `properties` (ARM) or its `agentPoolProfiles[]` entry. */
  readonly settings: Settings;
  /** The pool's upgrade profile (`latestNodeImageVersion`), when part of the input. */
  readonly upgradeProfile: Settings | undefined;
  /**
   * Set when the input does not tell whether the pool exists (Terraform `count`/`for_each` over a value only
   * Terraform knows): its settings are judged as those of every instance, but it does not count as existing.
   */
  readonly unknownExistence?: Unresolved | undefined;
}

export interface MaintenanceConfiguration {
  /** `aksManagedNodeOSUpgradeSchedule`, `aksManagedAutoUpgradeSchedule` or `default`. */
  readonly name: string;
  readonly settings: Settings;
}

export interface Cluster {
  readonly target: Target;
  readonly name: string;
  /**
   * True when `name` is a stand-in (the template's symbolic name, a Terraform address, a pool's name) because the
   * input does not resolve the cluster's real name; `az` commands then keep the `<cluster>` placeholder.
   */
  readonly unresolvedName?: boolean | undefined;
  /** The managed cluster's settings (ARM `properties`); undefined when only its pools, profiles or schedules are in the input. */
  readonly settings: Settings | undefined;
  /** The whole resource around the settings (`identity`, `sku` live here); same as `settings` for `az` output. */
  readonly resource: Settings | undefined;
  readonly description: Description;
  /** The ARM API version the settings were written for, when the input says (templates, REST examples). */
  readonly apiVersion: string | undefined;
  readonly pools: readonly Pool[];
  /** Maintenance configurations; undefined when the input cannot tell (e.g. `az aks show` alone). */
  readonly maintenanceConfigurations: readonly MaintenanceConfiguration[] | undefined;
  /** The cluster's Kubernetes objects; undefined when the input has none. */
  readonly kubernetes: KubernetesObjects | undefined;
}

export interface Snapshot {
  readonly targets: readonly Target[];
  readonly clusters: readonly Cluster[];
}
