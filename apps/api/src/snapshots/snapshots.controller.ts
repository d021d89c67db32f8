import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GetSnapshot } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, PageQuery, pageOf } from '../common/pagination';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { SnapshotDto } from './snapshot-response.dto';

@ApiTags('snapshots')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('repos/:repo_id/snapshots')
export class SnapshotsController {
  constructor(private readonly getSnapshot: GetSnapshot) {}

  @Get(':snapshot_id')
  @Requires('repos.read', 'repo_param')
  @ApiOkResponse({
    type: SnapshotDto,
    description: 'Commit, manifests with their diagnostics, and a page of dependencies',
  })
  async get(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Param('snapshot_id') snapshotId: string,
    @Query() query: PageQuery,
  ): Promise<SnapshotDto> {
    const { snapshot, dependencies } = await this.getSnapshot.execute({
      caller: callerOf(access),
      repoId: repoId.toLowerCase(),
      snapshotId: requireUuid(snapshotId, 'snapshot_id'),
      page: { limit: query.per_page, offset: offsetOf(query) },
    });
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
        dependencies.items.map((d) => ({
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
        dependencies.total,
      ),
    };
  }
}
