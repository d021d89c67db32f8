import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { concatMap, type Observable } from 'rxjs';
import type { ApiRequest } from '../common/api-request';
import { AddressLimits } from './address-limits';

/**
 * For a public route whose path carries a credential (an invitation token): the check is paid from
 * the address's FAILED_AUTH_LIMIT_PER_MINUTE before the route looks it up, and given back when the
 * route succeeds.
 */
@Injectable()
export class CredentialCheckInterceptor implements NestInterceptor {
  constructor(private readonly limits: AddressLimits) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const ip = context.switchToHttp().getRequest<ApiRequest>().ip;
    await this.limits.spendCredentialCheck(ip);
    return next.handle().pipe(
      concatMap(async (result: unknown) => {
        await this.limits.refundCredentialCheck(ip);
        return result;
      }),
    );
  }
}
