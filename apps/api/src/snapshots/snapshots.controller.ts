import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@repoguard/domain';
import { DependencyEntity, DependencySnapshotEntity } from '@repoguard/infrastructure';
import { Access, Requires } from '../access/access.decorator';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, PageQuery, pageOf } from '../common/pagination';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';

@ApiTags('snapshots')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('repos/:repo_id/snapshots')
export class SnapshotsController {
  @Get(':snapshot_id')
  @Requires('repos.read', 'repo_param')
  @ApiOkResponse({ description: 'Commit, manifests with their diagnostics, and a page of dependencies' })
  async get(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Param('snapshot_id') snapshotId: string,
    @Query() query: PageQuery,
  ) {
    const id = requireUuid(snapshotId, 'snapshot_id');
    const snapshot = await access.em.findOne(DependencySnapshotEntity, { id, repoId: repoId.toLowerCase() });
    if (!snapshot)
      throw new NotFoundError('SNAPSHOT_NOT_FOUND', `No snapshot with id ${id} in this repository`);
    const [dependencies, total] = await access.em.findAndCount(
      DependencyEntity,
      { snapshotId: snapshot.id },
      {
        orderBy: { manifestPath: 'asc', name: 'asc', id: 'asc' },
        limit: query.per_page,
        offset: offsetOf(query),
      },
    );
    return {
      id: snapshot.id,
      repo_id: snapshot.repoId,
      commit_sha: snapshot.commitSha,
      created_at: snapshot.createdAt.toISOString(),
      manifests: snapshot.manifests.map((m) => ({
        path: m.path,
        parser: m.parserId,
        blob_sha: m.blobSha,
        diagnostics: m.diagnostics,
      })),
      dependencies: pageOf(
        dependencies.map((d) => ({
          ecosystem: d.ecosystem,
          name: d.name,
          version: d.version,
          specifier: d.specifier,
          scope: d.scope,
          direct: d.direct,
          manifest_path: d.manifestPath,
          line: d.line,
          purl: d.purl,
        })),
        query,
        total,
      ),
    };
  }
}
