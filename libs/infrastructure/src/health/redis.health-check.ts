import type { Redis } from 'ioredis';
import type { HealthCheck } from './health-check';

export class RedisHealthCheck implements HealthCheck {
  readonly name = 'redis';
  constructor(private readonly redis: Redis) {}

  async check(): Promise<void> {
    // The client connects lazily and queues nothing offline: open it on first use.
    if (this.redis.status === 'wait') await this.redis.connect();
    const answer = await this.redis.ping();
    if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
  }
}
