import type { ScanResult } from '../model/result.js';

/** The machine contract (schemaVersion 1): stable key order, findings already sorted. */
export const json = (result: ScanResult): string => `${JSON.stringify(result, null, 2)}\n`;
