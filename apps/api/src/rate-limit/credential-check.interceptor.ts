import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import type { ApiRequest } from '../common/api-request';
import { AddressLimits } from './address-limits';

/**
 * For a public route whose path carries a credential (an invitation token): an address that has
 * failed too many checks (FAILED_AUTH_LIMIT_PER_MINUTE) gets 429 before the route looks it up, and
 * each failure of the route counts.
 */
@Injectable()
export class CredentialCheckInterceptor implements NestInterceptor {
  constructor(private readonly limits: AddressLimits) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const ip = context.switchToHttp().getRequest<ApiRequest>().ip;
    await this.limits.assertMayCheckCredential(ip);
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          from(this.limits.countFailedCheck(ip, error)).pipe(mergeMap(() => throwError(() => error))),
        ),
      );
  }
}
