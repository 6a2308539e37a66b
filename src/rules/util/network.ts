/** A range as `authorizedIPRanges` holds it: `203.0.113.0/24`, `203.0.113.7` (a /32), `::/0`. */
export interface Range {
  readonly text: string;
  readonly ipv6: boolean;
  readonly prefix: number;
}

export function parseRange(text: string): Range {
  const [address = '', prefix] = text.trim().split('/');
  const ipv6 = address.includes(':');
  return { text, ipv6, prefix: prefix === undefined ? (ipv6 ? 128 : 32) : Number(prefix) };
}

/** Open to the whole internet, or an IPv4 range wider than `/minPrefix`. */
export function isTooBroad(range: Range, minPrefix: number): boolean {
  if (range.prefix === 0) return true;
  return !range.ipv6 && range.prefix < minPrefix;
}
