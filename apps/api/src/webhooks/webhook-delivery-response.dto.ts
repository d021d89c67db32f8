import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DeliveryScanDto {
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The scan request committed with the delivery' })
  request_id?: string;
}

export class DeliveryCheckDto {
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ type: 'integer' }) pr_number!: number;
  @ApiProperty() head_sha!: string;
  @ApiProperty({ format: 'uuid', description: 'The pull-request check committed with the delivery' })
  check_id!: string;
  @ApiProperty({ example: 'pr-scan:<repo_id>:<number>' }) workflow_id!: string;
}

/** What a delivery did; a delivery id seen before answers only `delivery_id` and `duplicate`. */
export class DeliveryDto {
  @ApiProperty() delivery_id!: string;
  @ApiPropertyOptional({ description: 'Seen before: no second effect' }) duplicate?: boolean;
  @ApiPropertyOptional({ example: 'push' }) event?: string;
  @ApiPropertyOptional() handled?: boolean;
  @ApiPropertyOptional({ example: 'scan requested' }) outcome?: string;
  @ApiPropertyOptional({ type: [DeliveryScanDto] }) scans?: DeliveryScanDto[];
  @ApiPropertyOptional({ type: [DeliveryCheckDto], description: 'pull_request and check rerequests' })
  checks?: DeliveryCheckDto[];
}
