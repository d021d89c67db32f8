import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { SharedConfig } from '@repoguard/infrastructure';

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

/** Every variable the worker reads, validated once at boot (see .env.example). */
export class WorkerConfig extends SharedConfig {
  /** A prebuilt workflow bundle (`npm run build` writes dist/workflow-bundle.js); unset: bundle from source. */
  @IsOptional()
  @IsString()
  WORKFLOW_BUNDLE_PATH?: string;

  @IsOptional()
  @IsString()
  WORKER_IDENTITY?: string;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(3600)
  WORKER_SHUTDOWN_GRACE_SECONDS: number = 30;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  OSV_API_URL: string = 'https://api.osv.dev';

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  SCAN_MAX_MANIFEST_BYTES: number = 10 * 1024 * 1024;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  SCAN_MAX_TOTAL_BYTES: number = 50 * 1024 * 1024;
}
