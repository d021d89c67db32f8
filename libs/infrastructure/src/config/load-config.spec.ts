import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ConfigError, loadConfig } from './load-config';
import { SharedConfig } from './shared-config';

class ExampleConfig extends SharedConfig {
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(65535)
  PORT: number = 3000;
}

describe('loadConfig', () => {
  const valid = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/repoguard' };

  it('applies defaults and converts types', () => {
    const config = loadConfig(ExampleConfig, { ...valid, PORT: '8080' });
    expect(config.PORT).toBe(8080);
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe('repoguard');
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('names every missing or malformed variable', () => {
    let error: unknown;
    try {
      loadConfig(ExampleConfig, { PORT: 'eighty', TEMPORAL_ADDRESS: 'nowhere', REDIS_URL: 'http://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/DATABASE_URL is not set: must be a PostgreSQL URL/);
    expect(message).toMatch(/PORT is "eighty": must be a whole number/);
    expect(message).toMatch(/TEMPORAL_ADDRESS is "nowhere": must be host:port/);
    expect(message).toMatch(/REDIS_URL is "http:\/\/x": must be a redis/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(ExampleConfig, { ...valid, REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});
