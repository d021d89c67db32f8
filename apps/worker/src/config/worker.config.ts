import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsPositive, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import {
  DEFAULT_MIRROR_CACHE_BYTES,
  DEFAULT_MIRROR_REFRESH_CHECK_MS,
  DEFAULT_OSV_EXPORT_LIMITS,
  SharedConfig,
  WithParsingConfig,
  type OsvExportLimits,
} from '@repoguard/infrastructure';

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

/** After the grace, cancelled activities get this long to report back before the SDK gives up on them. */
export const WORKER_SHUTDOWN_FORCE_AFTER_GRACE_SECONDS = 10;
/** Closing the Temporal connection, the database pool and the trace exporter after the worker stopped. */
export const WORKER_CLOSE_SECONDS = 5;

/** Every variable the worker reads, validated once at boot (see .env.example); PARSE_* come from WithParsingConfig. */
export class WorkerConfig extends WithParsingConfig(SharedConfig) {
  /** A prebuilt workflow bundle (`npm run build` writes dist/workflow-bundle.js); unset: bundle from source. */
  @IsOptional()
  @IsString()
  WORKFLOW_BUNDLE_PATH?: string;

  @IsOptional()
  @IsString()
  WORKER_IDENTITY?: string;

  /**
   * On SIGTERM: how long running activities may take to finish before they are cancelled. The
   * process needs up to `drainSeconds` in all; a supervisor must wait longer before it kills.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(3600)
  WORKER_SHUTDOWN_GRACE_SECONDS: number = 30;

  /**
   * The longest a stop takes: the grace, then cancelled activities get the force time to report
   * back (after it the SDK gives up), then closing Temporal, PostgreSQL and the trace exporter.
   */
  get drainSeconds(): number {
    return (
      this.WORKER_SHUTDOWN_GRACE_SECONDS + WORKER_SHUTDOWN_FORCE_AFTER_GRACE_SECONDS + WORKER_CLOSE_SECONDS
    );
  }

  /**
   * Which task queues this process polls: `all` (the scan queue's workflows and steps, and the
   * re-match steps), `scans` (the scan queue only), or `rematch` (re-match steps only). A deployment
   * that runs re-matches in processes of their own (`scans` + `rematch`, the latter with
   * WORKER_NICE) keeps a large sync's matching off the event loop and CPU share of the pushes' steps.
   */
  @IsIn(['all', 'scans', 'rematch'], { message: 'must be all, scans or rematch' })
  WORKER_QUEUES: 'all' | 'scans' | 'rematch' = 'all';

  /**
   * The process's nice value at start (0-19, higher yields the CPU sooner): the operating system then
   * runs this process's work after that of processes at a lower value, such as the scan workers.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number from 0 to 19' })
  @Min(0)
  @Max(19)
  WORKER_NICE: number = 0;

  /** Workflow tasks (scan workflow steps, replayed or new) one worker handles at once. SDK minimum: 2. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(2)
  @Max(1000)
  SCAN_WORKFLOW_TASK_SLOTS: number = 40;

  /** Scan steps (fetch, parse, match, persist, evaluate) one worker runs at once on the scan queue. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1000)
  SCAN_ACTIVITY_SLOTS: number = 100;

  /** Scan steps one worker starts per second; unset: no limit. */
  @IsOptional()
  @Type(() => Number)
  @IsPositive({ message: 'must be a positive number of activities per second' })
  @Max(100_000)
  SCAN_ACTIVITIES_PER_SECOND?: number;

  /** Scan steps the whole scan queue hands out per second, across workers (kept by the server); unset: no limit. */
  @IsOptional()
  @Type(() => Number)
  @IsPositive({ message: 'must be a positive number of activities per second' })
  @Max(100_000)
  SCAN_QUEUE_ACTIVITIES_PER_SECOND?: number;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL' })
  OSV_API_URL: string = 'https://api.osv.dev';

  /** Where people reach the API (the API's PUBLIC_BASE_URL): notification messages link there. Unset: no links. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL' },
  )
  PUBLIC_BASE_URL?: string;

  /**
   * api: ask OSV.dev (OSV_API_URL) during each scan. mirror: match in memory against the advisories
   * imported into PostgreSQL (`repoguard advisories:import`); scans then never call out.
   */
  @IsIn(['api', 'mirror'], { message: 'must be api or mirror' })
  OSV_MODE: 'api' | 'mirror' = 'api';

  /**
   * Mirror mode: how long the worker trusts its in-memory advisories before asking PostgreSQL
   * (one indexed query) whether an import wrote something. Re-matches after an import always ask.
   * 0: before every scan's matching step.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(3_600_000)
  OSV_MIRROR_REFRESH_CHECK_MS: number = DEFAULT_MIRROR_REFRESH_CHECK_MS;

  /**
   * Mirror mode: megabytes of heap (approximate) for the advisories a worker holds between scans (by
   * package, compiled for matching, and the whole records recent answers named), least recently
   * used dropped first. Matching reads only the packages a scan names, so the advisory database's
   * size does not set the worker's memory; this does.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of megabytes' })
  @Min(1)
  @Max(65_536)
  OSV_MIRROR_CACHE_MB: number = DEFAULT_MIRROR_CACHE_BYTES / 2 ** 20;

  /** How many re-match steps one worker runs at once. */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  REMATCH_CONCURRENCY: number = 2;

  /** Re-match steps one worker starts per second; unset: no limit. */
  @IsOptional()
  @Type(() => Number)
  @IsPositive({ message: 'must be a positive number of activities per second' })
  @Max(100_000)
  REMATCH_ACTIVITIES_PER_SECOND?: number;

  /** Re-match steps the whole re-match queue hands out per second, across workers; unset: no limit. */
  @IsOptional()
  @Type(() => Number)
  @IsPositive({ message: 'must be a positive number of activities per second' })
  @Max(100_000)
  REMATCH_QUEUE_ACTIVITIES_PER_SECOND?: number;

  /**
   * How long, at most, a re-match step waits to begin while this worker runs a push's (or an API
   * scan's) steps: the re-matches stand back so a sync does not slow the scans people wait for.
   * 0 turns it off.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(600_000)
  REMATCH_STANDS_BACK_MS: number = 10_000;

  /**
   * How many re-match requests an advisory sync keeps open at once (asked for, no scan has served
   * them yet) before it asks for more: it asks as fast as they are done instead of all at once,
   * which would queue a workflow task and a re-match step per repository in front of the pushes'.
   * 0 asks for all of them at once.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(100_000)
  REMATCH_OPEN_LIMIT: number = 10;

  /**
   * How many of this worker's activity slots one org's scan steps may hold at once. A step over the
   * share is turned away before it runs and asked again by its workflow a moment later, so an org
   * with many or slow repositories always leaves the other slots to the other orgs.
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(10_000)
  SCAN_SLOTS_PER_ORG: number = 2;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  SCAN_MAX_MANIFEST_BYTES: number = 10 * 1024 * 1024;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  SCAN_MAX_TOTAL_BYTES: number = 50 * 1024 * 1024;

  /** Advisory exports the sync reads: https only unless this is true (redirects held to the same rule). */
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  OSV_EXPORT_ALLOW_HTTP: 'true' | 'false' = 'false';

  /** Caps on one advisory export; passing one refuses the export whole (ADVISORY_EXPORT_TOO_LARGE). */
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  OSV_EXPORT_MAX_DOWNLOAD_BYTES: number = DEFAULT_OSV_EXPORT_LIMITS.maxDownloadBytes;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  OSV_EXPORT_MAX_UNZIPPED_BYTES: number = DEFAULT_OSV_EXPORT_LIMITS.maxUnzippedBytes;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1)
  OSV_EXPORT_MAX_ENTRY_BYTES: number = DEFAULT_OSV_EXPORT_LIMITS.maxEntryBytes;

  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  OSV_EXPORT_MAX_ENTRIES: number = DEFAULT_OSV_EXPORT_LIMITS.maxEntries;

  get osvExportLimits(): OsvExportLimits {
    return {
      maxDownloadBytes: this.OSV_EXPORT_MAX_DOWNLOAD_BYTES,
      maxUnzippedBytes: this.OSV_EXPORT_MAX_UNZIPPED_BYTES,
      maxEntryBytes: this.OSV_EXPORT_MAX_ENTRY_BYTES,
      maxEntries: this.OSV_EXPORT_MAX_ENTRIES,
      allowHttp: this.OSV_EXPORT_ALLOW_HTTP === 'true',
    };
  }

  /** Where /metrics and /health/* listen; loopback unless a scraper elsewhere needs them. */
  @Matches(/^[A-Z0-9.:-]+$/i, { message: 'must be a host name or IP address (0.0.0.0: every interface)' })
  WORKER_METRICS_HOST = '127.0.0.1';

  /** 0: any free port (the worker logs the one it bound). */
  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT: number = 9464;

  /**
   * Loopback port of the Temporal SDK's own Prometheus exporter, which /metrics reads and appends.
   * 0: any free port (nothing else needs to know it).
   */
  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(0)
  @Max(65535)
  WORKER_SDK_METRICS_PORT: number = 0;
}
