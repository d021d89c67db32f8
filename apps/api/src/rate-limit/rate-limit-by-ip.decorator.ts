import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_BY_IP = 'repoguard:rate-limit-by-ip';

/** A public route limited per source address (WEBHOOK_RATE_LIMIT_PER_MINUTE), there being no token. */
export const RateLimitByIp = (): MethodDecorator => SetMetadata(RATE_LIMIT_BY_IP, true);
