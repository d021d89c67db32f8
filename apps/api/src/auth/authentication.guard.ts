import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, UnauthenticatedError } from '@repoguard/domain';
import { PUBLIC_ROUTE } from './public.decorator';

/** Runs the bearer strategy on every route that is not marked @Public. */
@Injectable()
export class AuthenticationGuard extends AuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, caller: T | false): T {
    if (error instanceof DomainError) throw error;
    if (error) throw error;
    if (!caller) {
      throw new UnauthenticatedError(
        'UNAUTHENTICATED',
        'Send a token as "Authorization: Bearer <token>" (a personal token rg_pat_… or an API key rg_key_…)',
      );
    }
    return caller;
  }
}
