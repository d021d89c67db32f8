import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@repoguard/domain';

export class OrgDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Requests per minute per token; null: the instance default',
  })
  rate_limit_per_minute!: number | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class MyOrgDto extends OrgDto {
  @ApiProperty({ enum: ROLES, description: "The caller's role in it" }) role!: Role;
}

export class MyOrgsDto {
  @ApiProperty({ type: [MyOrgDto] }) items!: MyOrgDto[];
}

export class OrgOwnerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['owner'] }) role!: 'owner';
}

/** Creating an org and accepting an invitation may make a user, whose first token this is. */
abstract class FirstTokenDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'rg_pat_…',
    description:
      "A new user's first personal token, shown once; null when the email had a user, who uses their own tokens",
  })
  token!: string | null;
  @ApiProperty({ type: String, nullable: true }) token_prefix!: string | null;
}

export class CreatedOrgDto extends FirstTokenDto {
  @ApiProperty({ type: OrgDto }) org!: OrgDto;
  @ApiProperty({ type: OrgOwnerDto }) owner!: OrgOwnerDto;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'date-time' }) joined_at!: string;
}

export class MembersDto {
  @ApiProperty({ type: [MemberDto] }) items!: MemberDto[];
}

export class MemberRoleDto {
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'date-time' }) joined_at!: string;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: 'The invitation secret, shown once' }) token!: string;
  @ApiProperty({ example: '/api/v1/invites/{token}/accept' }) accept_path!: string;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

export class InvitedOrgDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
}

export class InvitedUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
}

export class AcceptedInvitationDto extends FirstTokenDto {
  @ApiProperty({ type: InvitedOrgDto }) org!: InvitedOrgDto;
  @ApiProperty({ type: InvitedUserDto }) user!: InvitedUserDto;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

/** An invitation still waiting: never its token. */
export class PendingInvitationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true, description: 'Who invited: a user id, or an API key id' })
  invited_by!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

export class PendingInvitationsDto {
  @ApiProperty({ type: [PendingInvitationDto] }) items!: PendingInvitationDto[];
}
