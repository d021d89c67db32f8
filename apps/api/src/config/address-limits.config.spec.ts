import { loadConfig } from '@repoguard/infrastructure';
import { ApiConfig } from './api.config';
import { configProblems, MINIMAL_ENV as BASE } from '../../../../test/support/config-problems';

const problems = (env: Record<string, string>) => configProblems(ApiConfig, env);

describe('address limits, proxies and the metrics token in the configuration', () => {
  it('has limits by default, trusts no proxy and serves no metrics', () => {
    const config = loadConfig(ApiConfig, BASE);
    expect(config).toMatchObject({ PRE_AUTH_RATE_LIMIT_PER_MINUTE: 3000, FAILED_AUTH_LIMIT_PER_MINUTE: 30 });
    expect([config.TRUST_PROXY, config.METRICS_TOKEN]).toEqual([undefined, undefined]);
  });

  it('refuses trusting every proxy or a hop count, which would let clients pick their address', () => {
    expect(problems({ TRUST_PROXY: 'true' })).toEqual([
      expect.stringMatching(/^TRUST_PROXY is "true": must list/),
    ]);
    expect(problems({ TRUST_PROXY: '2' })).toHaveLength(1);
    expect(problems({ TRUST_PROXY: 'loopback, 10.0.0.0/8' })).toEqual([]);
  });

  it('refuses a short metrics token without printing it', () => {
    const found = problems({ METRICS_TOKEN: 'short-secret' });
    expect(found).toEqual([
      'METRICS_TOKEN is set (value hidden): must be at least 24 characters: it is a password',
    ]);
  });

  it('refuses limits below one', () => {
    expect(problems({ PRE_AUTH_RATE_LIMIT_PER_MINUTE: '0', FAILED_AUTH_LIMIT_PER_MINUTE: 'x' })).toHaveLength(
      2,
    );
  });
});
