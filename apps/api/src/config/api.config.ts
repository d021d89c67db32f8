import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Max, Min, Matches } from 'class-validator';
import { SharedConfig } from '@repoguard/infrastructure';

export const API_CONFIG = Symbol('API_CONFIG');

/** Every variable the API reads, validated once at boot (see .env.example). */
export class ApiConfig extends SharedConfig {
  @Matches(/^[^\s:]+$|^\[[0-9a-fA-F:]+\]$/, { message: 'must be a host name or IP address' })
  API_HOST: string = '127.0.0.1';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(0, { message: 'must be between 0 and 65535' })
  @Max(65535, { message: 'must be between 0 and 65535' })
  API_PORT: number = 3000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  TEMPORAL_UI_URL: string = 'http://127.0.0.1:8233';

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  PUBLIC_BASE_URL?: string;
}
