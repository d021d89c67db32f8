import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExportSbom, ExportVex, type ExportedDocument } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { SbomExportQuery, VexExportQuery } from './sbom-export.dto';

const NO_SCAN =
  'NO_COMPLETED_SCAN: the repository has no completed scan of its default branch yet; ' +
  'SCAN_NOT_COMPLETED: the scan named has not completed';

// The standards' own schemas describe the documents; OpenAPI only says which media types come back.
const documents = (...mediaTypes: string[]) =>
  Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'object' as const } }]));

@ApiTags('sbom')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'REQUEST_INVALID: `format` or `scan_id`' })
@Controller('repos/:repo_id')
export class SbomExportController {
  constructor(
    private readonly exportSbom: ExportSbom,
    private readonly exportVex: ExportVex,
  ) {}

  @Get('sbom')
  @Requires('findings.read', 'repo_param')
  @ApiOkResponse({
    content: documents('application/vnd.cyclonedx+json', 'application/spdx+json'),
    description:
      'The SBOM of a completed scan: CycloneDX 1.6 JSON (serialNumber `urn:uuid:<scan id>`, components by purl ' +
      'with scope, hashes, licences and the dependency graph) or SPDX 2.3 JSON. A re-export is identical. ' +
      'X-RepoGuard-Scan-Id names the scan.',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: NO_SCAN })
  async sbom(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Query() query: SbomExportQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return send(
      response,
      await this.exportSbom.execute({
        caller: callerOf(access),
        repoId: requireUuid(repoId, 'repo_id'),
        ...(query.scan_id ? { scanId: query.scan_id.toLowerCase() } : {}),
        format: query.format,
      }),
    );
  }

  @Get('vex')
  @Requires('findings.read', 'repo_param')
  @ApiOkResponse({
    content: documents('application/vnd.cyclonedx+json', 'application/json'),
    description:
      'The findings of a completed scan and the decisions on them: CycloneDX 1.6 VEX (affects by BOM-Link into the ' +
      'SBOM export of the same scan) or OpenVEX 0.2.0 (products by purl). X-RepoGuard-Scan-Id names the scan.',
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: `${NO_SCAN}; VEX_NOTHING_TO_STATE: OpenVEX asked of a scan without findings`,
  })
  async vex(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Query() query: VexExportQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return send(
      response,
      await this.exportVex.execute({
        caller: callerOf(access),
        repoId: requireUuid(repoId, 'repo_id'),
        ...(query.scan_id ? { scanId: query.scan_id.toLowerCase() } : {}),
        format: query.format,
      }),
    );
  }
}

/** As a file, so the media type goes out as the standard names it (a string gets a charset inserted). */
function send(response: Response, document: ExportedDocument): StreamableFile {
  response.setHeader('X-RepoGuard-Scan-Id', document.scanId);
  return new StreamableFile(Buffer.from(document.body, 'utf8'), { type: document.mediaType });
}
