const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Control characters XML 1.0 forbids (all below U+0020 except tab, newline and carriage return). */
const isForbidden = (code: number): boolean => code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;

/** Text and attribute values for XML: the five special characters escaped, forbidden control characters dropped. */
export function escapeXml(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (isForbidden(code) || code === 0xfffe || code === 0xffff) continue;
    out += ENTITIES[char] ?? char;
  }
  return out;
}
