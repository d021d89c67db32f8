import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { ApiConfig } from '../config/api.config';
import { setDashboardHeaders } from './dashboard-headers';

// What stays the API's: its routes answer, and an unknown path under them is the JSON 404, never
// the dashboard's page. /assets too, so a missing bundle file is a 404 rather than index.html.
const NOT_THE_DASHBOARD = [
  '/api{/*path}',
  '/health{/*path}',
  '/metrics{/*path}',
  '/docs{/*path}',
  '/assets{/*path}',
];

const BUILT_DASHBOARD = path.join('dist', 'apps', 'web');

/**
 * Where the built dashboard is: WEB_DIST_DIR, else the first dist/apps/web with an index.html in a
 * folder above this file (the repository when run from source or from dist/, /app in the image).
 * Not by the nearest package.json: the compiled output has a copy of it in dist/.
 */
export function dashboardDirectory(config: Pick<ApiConfig, 'WEB_DIST_DIR'>): string | null {
  if (config.WEB_DIST_DIR !== undefined) {
    const dir = path.resolve(config.WEB_DIST_DIR);
    return existsSync(path.join(dir, 'index.html')) ? dir : null;
  }
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, BUILT_DASHBOARD, 'index.html'))) return path.join(dir, BUILT_DASHBOARD);
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * The web dashboard (apps/web, built by `npm run build`) at /, with index.html for every other
 * GET so the app's own routes load from a shared link. Not built: the API runs without it.
 */
@Module({})
export class DashboardModule {
  static forRoot(config: Pick<ApiConfig, 'WEB_DIST_DIR'>): DynamicModule {
    const rootPath = dashboardDirectory(config);
    if (rootPath === null) {
      const where = config.WEB_DIST_DIR ?? BUILT_DASHBOARD;
      new Logger('Dashboard').log(`no dashboard build in ${where}: / is not served (npm run build)`);
      return { module: DashboardModule };
    }
    return {
      module: DashboardModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath,
          exclude: NOT_THE_DASHBOARD,
          serveStaticOptions: { setHeaders: setDashboardHeaders, index: 'index.html', fallthrough: true },
        }),
      ],
    };
  }
}
