import type * as Fflate from 'fflate';
import type * as Yauzl from 'yauzl';

// Required on first use: a `repoguard check` whose catalogs are cached reads the entries it needs
// with node:zlib alone, and its packed bundle keeps these libraries in files of their own.
/* eslint-disable @typescript-eslint/no-require-imports */
export const yauzl = (): typeof Yauzl => require('yauzl') as typeof Yauzl;
export const fflate = (): typeof Fflate => require('fflate') as typeof Fflate;
/* eslint-enable @typescript-eslint/no-require-imports */
