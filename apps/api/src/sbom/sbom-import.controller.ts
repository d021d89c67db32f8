import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ImportSbom } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { SBOM_MEDIA_TYPES } from './sbom-body.middleware';
import { ImportSbomQuery, SbomImportedDto } from './sbom-import.dto';

@ApiTags('sboms')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('orgs/:org_id/sboms')
export class SbomsController {
  constructor(private readonly importSbom: ImportSbom) {}

  @Post()
  @HttpCode(202)
  @Requires('repos.connect', 'org_param')
  @ApiConsumes(...SBOM_MEDIA_TYPES)
  @ApiBody({
    description:
      'A CycloneDX JSON or XML BOM (spec 1.2 to 1.6) or an SPDX 2.2/2.3 JSON document, as bytes; ' +
      'the format is told by its content',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiAcceptedResponse({
    type: SbomImportedDto,
    description:
      'Stored as a new snapshot of the project of that name (created on its first upload) and its scan ' +
      'requested, as POST /repos/{repo_id}/scan answers',
  })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description:
      'SBOM_FORMAT_UNSUPPORTED (bomFormat), SBOM_VERSION_UNSUPPORTED (specVersion, spdxVersion), ' +
      'SBOM_INVALID (body: not well-formed, a DOCTYPE, not UTF-8) or REQUEST_INVALID (name)',
  })
  @ApiPayloadTooLargeResponse({
    type: ErrorBodyDto,
    description: 'Larger than SBOM_MAX_BYTES, or SBOM_TOO_MANY_COMPONENTS',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'REPO_DISABLED' })
  async upload(
    @Access() access: RequestAccess,
    @Body() body: unknown,
    @Query() query: ImportSbomQuery,
  ): Promise<SbomImportedDto> {
    const imported = await this.importSbom.execute({
      caller: orgCallerOf(access),
      // The body middleware keeps this route's body as bytes; anything else is no document.
      document: Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(),
      ...(query.name === undefined ? {} : { name: query.name }),
    });
    const { repo, upload, scan } = imported;
    return {
      repo_id: repo.id,
      project_created: imported.created,
      upload_id: upload.id,
      sha256: upload.sha256,
      format: upload.format,
      spec_version: upload.specVersion,
      components: upload.components,
      scan_id: scan.scanId,
      request_id: scan.requestId,
      workflow_id: scan.workflowId,
      run_id: scan.runId,
      status: scan.relayed ? ('QUEUED' as const) : ('PENDING' as const),
      deduplicated: scan.deduplicated,
    };
  }
}
