import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UnauthenticatedError } from '@repoguard/domain';
import type { Request } from 'express';
import { AddressLimits } from '../rate-limit/address-limits';
import { PUBLIC_ROUTE } from './public.decorator';

/**
 * Runs the bearer strategy on every route that is not marked @Public. Each token check is paid
 * from the source address's budget of failed checks first (given back when the token is good),
 * so an address that keeps sending bad tokens gets 429 without its tokens being looked up.
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
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    // Only the header carries tokens: passport-http-bearer would also take ?access_token= and a
    // body field, which puts secrets into URLs and logs.
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization;
    if (!header || !/^Bearer\s+\S+$/i.test(header.trim())) throw unauthenticated();
    await this.limits.spendCredentialCheck(request.ip);
    // Throws (TOKEN_INVALID, or the lookup's own failure) unless the token names a caller.
    const authenticated = await (super.canActivate(context) as Promise<boolean>);
    await this.limits.refundCredentialCheck(request.ip);
    return authenticated;
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
