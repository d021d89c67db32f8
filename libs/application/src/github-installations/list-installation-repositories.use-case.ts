import type { GithubAppDirectory, GrantedRepository, UnitOfWork } from '@repoguard/domain';
import { installationNotLinked } from './installation-not-linked';
import type { OrgCaller } from '../shared/caller';

export interface ListInstallationRepositoriesCommand {
  readonly caller: OrgCaller;
  readonly installationId: string;
  /** Only repositories whose full name contains this (any case). */
  readonly query?: string;
  /** GitHub's page number, from 1. */
  readonly page: number;
}

const PER_PAGE = 100;

/** The repositories one of the org's installations grants, a page of GitHub's at a time. */
export class ListInstallationRepositories {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly app: GithubAppDirectory,
  ) {}

  async execute({
    caller,
    installationId,
    query,
    page,
  }: ListInstallationRepositoriesCommand): Promise<{ items: GrantedRepository[]; nextPage: number | null }> {
    const linked = await this.uow.read(caller.scope, ({ githubInstallations }) =>
      githubInstallations.findLinked(caller.orgId, installationId),
    );
    if (!linked) throw installationNotLinked();
    const { repositories, total } = await this.app.installationRepositories(installationId, page, PER_PAGE);
    const needle = query?.toLowerCase();
    return {
      items: repositories.filter((r) => !needle || r.fullName.toLowerCase().includes(needle)),
      nextPage: page * PER_PAGE < total ? page + 1 : null,
    };
  }
}
