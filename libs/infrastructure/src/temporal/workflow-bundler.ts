import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode, type Logger, type WorkerOptions } from '@temporalio/worker';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';

type BundlerOptions = NonNullable<WorkerOptions['bundlerOptions']>;

const WORKFLOWS_ENTRY = 'libs/workflows/src/index.ts';
const TRACING_INTERCEPTORS = 'libs/workflows/src/tracing.interceptors.ts';
const CORRELATION_INTERCEPTORS = 'libs/workflows/src/correlation.interceptors.ts';

// Called from source (tests, dev) and from dist/ (compiled scripts): the sources sit above both.
function findRepoRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, WORKFLOWS_ENTRY)) && existsSync(path.join(dir, 'tsconfig.json')))
      return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(
        `workflow sources (${WORKFLOWS_ENTRY}) not found above ${start}: set WORKFLOW_BUNDLE_PATH`,
      );
    }
  }
}

/** Source entry of the workflows; the bundler compiles it with its own webpack and SWC. */
export function workflowsSourcePath(): string {
  return path.join(findRepoRoot(), WORKFLOWS_ENTRY);
}

/** The correlation-id header's workflow side: every worker registers it (bundled or not). */
export function workflowCorrelationInterceptorsPath(): string {
  return path.join(findRepoRoot(), CORRELATION_INTERCEPTORS);
}

/** Temporal's OpenTelemetry workflow interceptors, as a module the bundler can register. */
export function workflowTracingInterceptorsPath(): string {
  return path.join(findRepoRoot(), TRACING_INTERCEPTORS);
}

/**
 * Temporal's webpack ignores tsconfig paths: resolve `@repoguard/*` in workflow code
 * through the same tsconfig the compiler uses, instead of relative `../../libs` imports.
 */
export function workflowBundlerOptions(): BundlerOptions {
  const configFile = path.join(findRepoRoot(), 'tsconfig.json');
  return {
    webpackConfigHook: (config) => {
      const resolve = config.resolve ?? {};
      // The plugin is typed against the top-level webpack, the hook against the SDK's own copy;
      // both are webpack 5 and the resolver API the plugin uses is the same.
      const plugin = new TsconfigPathsPlugin({
        configFile,
        extensions: ['.ts', '.js'],
      }) as unknown as NonNullable<typeof resolve.plugins>[number];
      resolve.plugins = [...(resolve.plugins ?? []), plugin];
      return { ...config, resolve };
    },
  };
}

/**
 * Builds the workflow bundle once: production workers load it instead of bundling at start. It
 * always holds the tracing interceptors (a bundle cannot drop them later); a worker with tracing
 * off gives them a sink that discards their spans (withWorkerTracing).
 */
export async function bundleWorkflows(
  options: {
    readonly logger?: Logger;
    /** False: without the tracing interceptors, for a worker that never traces. */
    readonly tracing?: boolean;
  } = {},
): Promise<string> {
  const { code } = await bundleWorkflowCode({
    ...(options.logger ? { logger: options.logger } : {}),
    workflowsPath: workflowsSourcePath(),
    workflowInterceptorModules: [
      workflowCorrelationInterceptorsPath(),
      ...(options.tracing === false ? [] : [workflowTracingInterceptorsPath()]),
    ],
    webpackConfigHook: workflowBundlerOptions().webpackConfigHook,
  });
  return code;
}

/**
 * The bundle written beside a prebuilt one without the tracing interceptors (`npm run build` writes
 * both). Those interceptors make spans in every workflow activation even when nothing exports them.
 */
export function untracedBundlePath(bundlePath: string): string {
  return `${bundlePath.replace(/\.js$/, '')}.untraced.js`;
}

/**
 * Which prebuilt bundle a worker loads: without tracing, the untraced one beside it when present
 * (a bundle built before it existed has none); with tracing, the one given.
 */
export function prebuiltBundleFor(bundlePath: string, tracing: boolean): string {
  if (tracing) return bundlePath;
  const untraced = untracedBundlePath(bundlePath);
  return existsSync(untraced) ? untraced : bundlePath;
}
