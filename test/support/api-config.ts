import { loadConfig } from '@repoguard/infrastructure';
import { ApiConfig } from '../../apps/api/src/config/api.config';

/** The API's config as the test environment provides it, with per-test overrides. */
export function testApiConfig(overrides: Record<string, string> = {}): ApiConfig {
  return loadConfig(ApiConfig, {
    NODE_ENV: 'test',
    DATABASE_URL: process.env['DATABASE_URL'],
    TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'],
    TEMPORAL_NAMESPACE: process.env['TEMPORAL_NAMESPACE'],
    REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    API_PORT: '0',
    ...overrides,
  });
}
