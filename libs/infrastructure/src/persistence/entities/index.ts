import { OrganizationEntity } from './organization.entity';

export { OrganizationEntity };

// Listed explicitly: folder discovery breaks in compiled and bundled builds.
export const ENTITIES = [OrganizationEntity];
