import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
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
}
