import type { Path, SourceDoc } from '../model/provenance.js';
import { isRecord } from '../model/settings.js';
import {
  type ClusterRef,
  clusterRefFromId,
  type Fragment,
  type Located,
  type MaintenancePart,
} from '../sources/fragment.js';
import type { Json } from './raw.js';

/** What ARM says about one cluster, as it sent it. */
export interface ClusterReading {
  readonly cluster: Json;
  readonly pools: readonly Json[];
  /** Each pool's upgrade profile (`latestNodeImageVersion`), by pool name. */
  readonly upgradeProfiles: readonly { readonly pool: string; readonly body: Json }[];
  readonly maintenanceConfigurations: readonly Json[];
  /** The API version the SDK asked for: it decides defaults such as the node OS channel. */
  readonly apiVersion: string;
}

/** A live resource has no lines: its document is named after its ARM id and locates nothing. */
export function armDoc(id: string): SourceDoc {
  return { file: `azure:${id}`, locate: () => undefined };
}

/** One cluster's parts, joined by the assembler like files of one folder. */
export function clusterFragment(reading: ClusterReading): Fragment {
  const id = String(reading.cluster.id ?? '');
  const ref: ClusterRef = clusterRefFromId(id) ?? { name: String(reading.cluster.name ?? '(cluster not named)') };
  const doc = armDoc(ref.armId ?? id);
  const maintenance: MaintenancePart[] = reading.maintenanceConfigurations.map((body) => ({
    cluster: ref,
    name: String(body.name ?? 'default'),
    settings: propertiesOf(body),
  }));
  return {
    file: doc.file,
    clusters: [
      {
        ...ref,
        settings: propertiesOf(reading.cluster, doc),
        resource: { value: reading.cluster, path: [], doc },
        description: 'state',
        apiVersion: reading.apiVersion,
        // Read from ARM, so an empty list is known to be empty (not "not part of the input").
        maintenanceConfigurations: maintenance,
      },
    ],
    pools: reading.pools.map((body) => ({
      cluster: ref,
      name: String(body.name ?? '(pool not named)'),
      settings: propertiesOf(body),
    })),
    upgradeProfiles: reading.upgradeProfiles.map(({ pool, body }) => ({
      cluster: ref,
      pool,
      settings: propertiesOf(body),
    })),
    maintenanceConfigurations: [],
    mentions: [],
  };
}

/** A resource's `properties`, located in the document named after the resource's own id. */
function propertiesOf(body: Json, doc: SourceDoc = armDoc(String(body.id ?? body.name ?? ''))): Located {
  const path: Path = ['properties'];
  return isRecord(body.properties) ? { value: body.properties, path, doc } : { value: body, path: [], doc };
}
