import { ApiProperty } from '@nestjs/swagger';

class ErrorDetailDto {
  @ApiProperty({ example: 'repo' }) field!: string;
  @ApiProperty({ example: 'must be owner/name' }) problem!: string;
}

class ErrorDto {
  @ApiProperty({ example: 'REQUEST_INVALID', description: 'Stable code: clients branch on it' })
  code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
}

/** Every error answer has this shape. */
export class ErrorBodyDto {
  @ApiProperty({ type: ErrorDto }) error!: ErrorDto;
}
