import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'repoguard:public';

/** No bearer token needed (health, accepting an invitation: the invitation token is the credential). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
