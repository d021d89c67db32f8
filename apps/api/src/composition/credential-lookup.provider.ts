import type { Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CredentialLookup } from '@repoguard/domain';
import { MikroOrmCredentialLookup } from '@repoguard/infrastructure';

export const CREDENTIAL_LOOKUP = Symbol('CREDENTIAL_LOOKUP');

export const credentialLookupProvider: Provider = {
  provide: CREDENTIAL_LOOKUP,
  inject: [EntityManager],
  useFactory: (em: EntityManager): CredentialLookup => new MikroOrmCredentialLookup(em),
};
