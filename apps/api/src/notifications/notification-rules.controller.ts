import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateNotificationRule,
  DeleteNotificationRule,
  GetNotificationRule,
  ListNotificationRules,
  MuteNotificationRule,
  UnmuteNotificationRule,
  UpdateNotificationRule,
} from '@repoguard/application';
import type { StoredNotificationRule } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CreateNotificationRuleBody, MuteBody, UpdateNotificationRuleBody } from './notification-rule.dto';
import { NotificationRuleDto, NotificationRulesDto } from './notification-rule-response.dto';

export function ruleView(rule: StoredNotificationRule, now = new Date()): NotificationRuleDto {
  return {
    id: rule.id,
    org_id: rule.org_id,
    name: rule.name,
    channel_id: rule.channel_id,
    events: [...rule.events],
    min_severity: rule.min_severity,
    repositories:
      rule.repositories.kind === 'list'
        ? { kind: 'list', repo_ids: [...rule.repositories.repo_ids] }
        : rule.repositories.kind === 'pattern'
          ? { kind: 'pattern', pattern: rule.repositories.pattern }
          : { kind: 'all' },
    mode: rule.mode,
    digest: rule.digest ? { ...rule.digest } : null,
    enabled: rule.enabled,
    mutes: rule.mutes.map((m) => ({
      repo_id: m.repo_id,
      until: m.until.toISOString(),
      active: m.until.getTime() > now.getTime(),
      created_by: m.created_by,
      created_at: m.created_at.toISOString(),
    })),
    created_by: rule.created_by,
    created_at: rule.created_at.toISOString(),
    updated_at: rule.updated_at.toISOString(),
  };
}

@ApiTags('notifications')
@ApiBadRequestResponse({
  type: ErrorBodyDto,
  description: 'REQUEST_INVALID: `details` names every bad field',
})
@Controller('orgs/:org_id/notification-rules')
export class NotificationRulesController {
  constructor(
    private readonly createRule: CreateNotificationRule,
    private readonly listRules: ListNotificationRules,
    private readonly getRule: GetNotificationRule,
    private readonly updateRule: UpdateNotificationRule,
    private readonly deleteRule: DeleteNotificationRule,
    private readonly muteRule: MuteNotificationRule,
    private readonly unmuteRule: UnmuteNotificationRule,
  ) {}

  @Post()
  @Requires('notifications.manage', 'org_param')
  @ApiCreatedResponse({ type: NotificationRuleDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'NOTIFICATION_RULE_NAME_TAKEN' })
  async create(
    @Access() access: RequestAccess,
    @Body() body: CreateNotificationRuleBody,
  ): Promise<NotificationRuleDto> {
    return ruleView(await this.createRule.execute({ caller: orgCallerOf(access), body: { ...body } }));
  }

  @Get()
  @Requires('notifications.manage', 'org_param')
  @ApiOkResponse({ type: NotificationRulesDto })
  async list(@Access() access: RequestAccess): Promise<NotificationRulesDto> {
    const rules = await this.listRules.execute({ caller: orgCallerOf(access) });
    return { items: rules.map((rule) => ruleView(rule)) };
  }

  @Get(':rule_id')
  @Requires('notifications.manage', 'org_param')
  @ApiOkResponse({ type: NotificationRuleDto })
  async get(@Access() access: RequestAccess, @Param('rule_id') ruleId: string): Promise<NotificationRuleDto> {
    return ruleView(
      await this.getRule.execute({ caller: orgCallerOf(access), ruleId: requireUuid(ruleId, 'rule_id') }),
    );
  }

  @Patch(':rule_id')
  @Requires('notifications.manage', 'org_param')
  @ApiOkResponse({ type: NotificationRuleDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'NOTIFICATION_RULE_NAME_TAKEN' })
  async update(
    @Access() access: RequestAccess,
    @Param('rule_id') ruleId: string,
    @Body() body: UpdateNotificationRuleBody,
  ): Promise<NotificationRuleDto> {
    return ruleView(
      await this.updateRule.execute({
        caller: orgCallerOf(access),
        ruleId: requireUuid(ruleId, 'rule_id'),
        body: { ...body },
      }),
    );
  }

  @Delete(':rule_id')
  @HttpCode(204)
  @Requires('notifications.manage', 'org_param')
  @ApiNoContentResponse({ description: 'Deleted with its mutes; its deliveries stay in the log' })
  async remove(@Access() access: RequestAccess, @Param('rule_id') ruleId: string): Promise<void> {
    await this.deleteRule.execute({ caller: orgCallerOf(access), ruleId: requireUuid(ruleId, 'rule_id') });
  }

  @Put(':rule_id/mutes/:repo_id')
  @Requires('notifications.manage', 'org_param')
  @ApiOkResponse({ type: NotificationRuleDto, description: 'The rule with its mutes' })
  async mute(
    @Access() access: RequestAccess,
    @Param('rule_id') ruleId: string,
    @Param('repo_id') repoId: string,
    @Body() body: MuteBody,
  ): Promise<NotificationRuleDto> {
    return ruleView(
      await this.muteRule.execute({
        caller: orgCallerOf(access),
        ruleId: requireUuid(ruleId, 'rule_id'),
        repoId: requireUuid(repoId, 'repo_id'),
        until: body.until,
      }),
    );
  }

  @Delete(':rule_id/mutes/:repo_id')
  @HttpCode(204)
  @Requires('notifications.manage', 'org_param')
  @ApiNoContentResponse({ description: 'The mute ends at once (none: nothing changes)' })
  async unmute(
    @Access() access: RequestAccess,
    @Param('rule_id') ruleId: string,
    @Param('repo_id') repoId: string,
  ): Promise<void> {
    await this.unmuteRule.execute({
      caller: orgCallerOf(access),
      ruleId: requireUuid(ruleId, 'rule_id'),
      repoId: requireUuid(repoId, 'repo_id'),
    });
  }
}
