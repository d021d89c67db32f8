import { loadConfig } from '@repoguard/infrastructure';
import { apiProcessCount, ApiConfig } from './api.config';
import { configProblems, MINIMAL_ENV as BASE } from '../../../../test/support/config-problems';

const REDIS = { REDIS_URL: 'redis://127.0.0.1:6379' };

const problems = (env: Record<string, string>) => configProblems(ApiConfig, env);

describe('API_PROCESSES', () => {
  it('is 1 unless set; auto is one per CPU, at most 4, with Redis, and 1 without', () => {
    expect(apiProcessCount(loadConfig(ApiConfig, { ...BASE, ...REDIS }), 8)).toBe(1);
    const auto = loadConfig(ApiConfig, { ...BASE, ...REDIS, API_PROCESSES: 'auto' });
    expect([1, 2, 8].map((cpus) => apiProcessCount(auto, cpus))).toEqual([1, 2, 4]);
    expect(apiProcessCount(loadConfig(ApiConfig, { ...BASE, API_PROCESSES: 'auto' }), 8)).toBe(1);
  });

  it('takes a count from 1 to 64 as given', () => {
    expect(apiProcessCount(loadConfig(ApiConfig, { ...BASE, ...REDIS, API_PROCESSES: '64' }), 2)).toBe(64);
    expect(apiProcessCount(loadConfig(ApiConfig, { ...BASE, API_PROCESSES: '1' }), 8)).toBe(1);
  });

  it.each(['0', '-1', '65', '1.5', '2e1', ' 2', '02', 'AUTO', 'many'])('refuses %j', (value) => {
    expect(problems({ ...REDIS, API_PROCESSES: value })).toEqual([
      `API_PROCESSES is "${value}": must be auto or a whole number from 1 to 64`,
    ]);
  });

  it('refuses more than one process without Redis, whose limits would count per process', () => {
    expect(problems({ API_PROCESSES: '2' })).toEqual([
      'API_PROCESSES is "2": needs REDIS_URL above 1: rate limits counted in memory would be per process',
    ]);
  });
});
