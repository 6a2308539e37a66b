import type { Fact, Tri } from '../../model/fact.js';
import type { Settings } from '../../model/settings.js';
import { Unresolved } from '../../model/unresolved.js';

/** `apiServerAccessProfile.authorizedIPRanges`, or the 2019 preview spelling `apiServerAuthorizedIPRanges`. */
export const authorizedRanges = (settings: Settings): Fact =>
  settings.first('apiServerAccessProfile.authorizedIPRanges', 'apiServerAuthorizedIPRanges');

/** The ranges that are really there: empty strings do not count. */
export function rangeEntries(value: unknown): unknown[] {
  return Array.isArray(value) ? value.filter((r) => r !== '' && r !== null) : [];
}

/** No usable range: missing, null, [] or only empty strings; unknown when only unresolved entries remain. */
export function isEmptyRangeList(value: unknown): Tri {
  const entries = rangeEntries(value);
  if (entries.some((r) => typeof r === 'string')) return false;
  return entries.some((r) => r instanceof Unresolved) ? 'unknown' : true;
}
