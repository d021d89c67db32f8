import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

export const PUBLIC_ROUTE = 'repoguard:public';
export const OPTIONAL_BEARER = 'repoguard:optional-bearer';

/** No bearer token needed (health, webhooks: they carry their own proof, or none is needed). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Public, but a bearer token that is sent is checked (an unknown one is a 401) and names the
 * caller: accepting an invitation anonymously (a new user) or as oneself (an existing user).
 */
export const OptionalBearer = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(PUBLIC_ROUTE, true),
    SetMetadata(OPTIONAL_BEARER, true),
    // OpenAPI: either no security requirement or the bearer token.
    ApiSecurity({}),
    ApiSecurity('bearer'),
  );
