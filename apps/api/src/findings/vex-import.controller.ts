import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ImportVex } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { VexImportDto } from './vex-import.dto';

@ApiTags('findings')
@Controller()
export class VexImportController {
  constructor(private readonly importVex: ImportVex) {}

  // The body is a whole VEX document in one of two standard shapes, kept as bytes (vexBodies): the
  // use case parses and checks it (naming the path of what is wrong), not a DTO.
  @Post('repos/:repo_id/vex')
  @HttpCode(200)
  @Requires('findings.triage', 'repo_param')
  @ApiBody({
    description:
      'A CycloneDX VEX JSON document (bomFormat CycloneDX; vulnerabilities[] with id, analysis and affects[].ref as a ' +
      'BOM-Link urn:cdx:<serial>/<version>#<bom-ref> or a bom-ref, purls or components’ bom-refs) or an OpenVEX JSON ' +
      'document (@context https://openvex.dev/ns/…; statements[] with vulnerability.name and aliases, products as ' +
      'purls, status, justification, impact_statement, action_statement). Up to 10 MB and 10,000 statements',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse({
    type: VexImportDto,
    description:
      'Each statement applied to the current findings whose advisory id or alias and package (purl; one without a ' +
      'version is every version) it names, as audited triage decisions (finding.vex_decided, source vex_import), in ' +
      "one transaction; the repository's status is judged once. A later statement about the same finding wins",
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VEX_INVALID: details name the field path' })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'Larger than 10 MB' })
  async import(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Body() body: unknown,
  ): Promise<VexImportDto> {
    const result = await this.importVex.execute({
      caller: callerOf(access),
      repoId: repoId.toLowerCase(),
      // The body middleware keeps this route's body as bytes; anything else is no document.
      document: Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(),
    });
    return {
      format: result.format,
      document_id: result.documentId,
      applied: result.applied,
      unchanged: result.unchanged,
      unmatched: result.unmatched,
      unmatched_statements: result.unmatchedStatements.map((s) => ({ ...s })),
    };
  }
}
