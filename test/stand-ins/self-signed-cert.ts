import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * A self-signed certificate for a stand-in served over TLS on the loopback, written into `dir`;
 * `caFile` is what a client trusts (GIT_SSL_CA_FILE, NODE_EXTRA_CA_CERTS).
 */
export function writeSelfSignedCert(
  dir: string,
  dnsNames: readonly string[] = [],
): { keyFile: string; caFile: string } {
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  const altNames = ['IP:127.0.0.1', ...dnsNames.map((name) => `DNS:${name}`)].join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      `subjectAltName=${altNames}`,
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, caFile };
}
