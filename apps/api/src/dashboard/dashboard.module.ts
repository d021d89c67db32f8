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

/** The repository (or image) root: the nearest folder above this file with a package.json. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

/** Where the built dashboard is: WEB_DIST_DIR, else dist/apps/web beside the API's package.json. */
export function dashboardDirectory(config: Pick<ApiConfig, 'WEB_DIST_DIR'>): string {
  return path.resolve(config.WEB_DIST_DIR ?? path.join(packageRoot(__dirname), 'dist', 'apps', 'web'));
}

/**
 * The web dashboard (apps/web, built by `npm run build`) at /, with index.html for every other
 * GET so the app's own routes load from a shared link. Not built: the API runs without it.
 */
@Module({})
export class DashboardModule {
  static forRoot(config: Pick<ApiConfig, 'WEB_DIST_DIR'>): DynamicModule {
    const rootPath = dashboardDirectory(config);
    if (!existsSync(path.join(rootPath, 'index.html'))) {
      new Logger('Dashboard').log(`no dashboard build in ${rootPath}: / is not served (npm run build)`);
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
