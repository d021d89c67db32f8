import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreateSshDeployKey, DeleteSshDeployKey, GetSshDeployKey } from '@repoguard/application';
import type { SshDeployKeyView } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { SshDeployKeyDto } from './ssh-deploy-key-response.dto';

/**
 * The org's own ssh deploy key for ssh:// repositories (the instance key serves only the orgs the
 * operator names). RepoGuard generates it (ed25519) and seals the private half; only the public
 * key is ever answered, for the user to add to their repositories as a read-only deploy key.
 */
@ApiTags('git')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'ENCRYPTION_NOT_CONFIGURED' })
@Controller('orgs/:org_id/ssh-keys')
export class SshDeployKeysController {
  constructor(
    private readonly createSshDeployKey: CreateSshDeployKey,
    private readonly getSshDeployKey: GetSshDeployKey,
    private readonly deleteSshDeployKey: DeleteSshDeployKey,
  ) {}

  @Post()
  @Requires('repos.connect', 'org_param')
  @ApiCreatedResponse({
    type: SshDeployKeyDto,
    description: 'A new key pair; a second POST rotates it (the old key stops working)',
  })
  async create(@Access() access: RequestAccess): Promise<SshDeployKeyDto> {
    return view(await this.createSshDeployKey.execute({ caller: orgCallerOf(access) }));
  }

  @Get()
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({ type: SshDeployKeyDto, description: 'The public key to add to repositories' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'SSH_DEPLOY_KEY_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'SSH_DEPLOY_KEY_UNREADABLE: rotate it' })
  async get(@Access() access: RequestAccess): Promise<SshDeployKeyDto> {
    return view(await this.getSshDeployKey.execute({ caller: orgCallerOf(access) }));
  }

  @Delete()
  @HttpCode(204)
  @Requires('repos.connect', 'org_param')
  @ApiNoContentResponse({ description: "Removed: the org's ssh:// repositories are refused until a new key" })
  async remove(@Access() access: RequestAccess): Promise<void> {
    await this.deleteSshDeployKey.execute({ caller: orgCallerOf(access) });
  }
}

function view(key: SshDeployKeyView) {
  return {
    public_key: key.publicKey,
    fingerprint: key.fingerprint,
    created_at: key.createdAt.toISOString(),
  };
}
