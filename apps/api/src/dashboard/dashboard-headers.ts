import type { ServerResponse } from 'node:http';
import * as path from 'node:path';

// The bundle is same-origin files only: no inline script or style, no third-party host. The token
// lives in sessionStorage, so a script injected from anywhere else must not run.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every dashboard file (serve-static's setHeaders, also for the index.html fallback). */
export function setDashboardHeaders(response: ServerResponse, filePath: string): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  // Vite names bundle files by content hash: they never change. index.html must be asked for anew.
  const hashed = filePath.split(path.sep).includes('assets');
  response.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}
