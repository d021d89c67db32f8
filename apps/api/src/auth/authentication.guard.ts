import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UnauthenticatedError } from '@repoguard/domain';
import type { Request } from 'express';
import { AddressLimits } from '../rate-limit/address-limits';
import { OPTIONAL_BEARER, PUBLIC_ROUTE } from './public.decorator';

/**
 * Runs the bearer strategy on every route that is not marked @Public, and on @OptionalBearer ones
 * sent a token. A bad token counts against its source address (FAILED_AUTH_LIMIT_PER_MINUTE): an
 * address that has sent too many gets 429 before its next token is looked up.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard('bearer') {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: AddressLimits,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets);
    // Only the header carries tokens: passport-http-bearer would also take ?access_token= and a
    // body field, which puts secrets into URLs and logs.
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization;
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_BEARER, targets);
    if (isPublic && !(optional && header !== undefined)) return true;
    if (!header || !/^Bearer\s+\S+$/i.test(header.trim())) throw unauthenticated();
    await this.limits.assertMayCheckCredential(request.ip);
    try {
      // Throws (TOKEN_INVALID, or the lookup's own failure) unless the token names a caller.
      return await (super.canActivate(context) as Promise<boolean>);
    } catch (error) {
      await this.limits.countFailedCheck(request.ip, error);
      throw error;
    }
  }

  override handleRequest<T>(error: unknown, caller: T | false): T {
    if (error) throw error; // a DomainError from the authenticator (TOKEN_INVALID) keeps its code
    if (!caller) throw unauthenticated();
    return caller;
  }
}

const unauthenticated = () =>
  new UnauthenticatedError(
    'UNAUTHENTICATED',
    'Send a token as "Authorization: Bearer <token>" (a personal token rg_pat_… or an API key rg_key_…)',
  );
