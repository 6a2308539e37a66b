import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS in a spawned CLI. */
  readonly certFile: string;
}

const CERT_FILE = fileURLToPath(new URL('tls/cert.pem', import.meta.url));
const KEY_FILE = fileURLToPath(new URL('tls/key.pem', import.meta.url));

/**
 * The committed test-only certificate for 127.0.0.1 and localhost (`tls/README.md`): the test servers speak HTTPS
 * that clients verify, and no openssl is needed. A missing or unreadable file throws: a test server never falls
 * back to plain HTTP on its own.
 */
export function testCertificate(): TestCertificate {
  return { key: readFileSync(KEY_FILE, 'utf8'), cert: readFileSync(CERT_FILE, 'utf8'), certFile: CERT_FILE };
}
