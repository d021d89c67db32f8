import type { RematchTarget, RematchTargetFinder } from '@repoguard/domain';
import { asActivity } from '../as-activity';

export interface FindRematchTargetsDeps {
  readonly rematchTargets: RematchTargetFinder;
}

/** The repositories whose last scanned snapshot holds a package the changed advisories name. */
export function createFindRematchTargetsActivity({ rematchTargets }: FindRematchTargetsDeps) {
  return async function findRematchTargets(input: { readonly writtenAt: string }): Promise<RematchTarget[]> {
    return asActivity(() => rematchTargets.affectedSince(input.writtenAt));
  };
}
