import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class RequestScanBody {
  @ApiPropertyOptional({
    example: 'main',
    description: 'Branch, tag or commit SHA; default: the default branch',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 255, { message: 'must be 1 to 255 characters' })
  // git check-ref-format's rules, in short: no spaces, control characters, "..", "@{", "~^:?*[\\", a leading "-" or a part ending in ".lock".
  @Matches(/^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock(?:\/|$))[^\s~^:?*[\\\p{Cc}]+(?<![./])$/u, {
    message: 'must be a valid git ref',
  })
  ref?: string;
}
