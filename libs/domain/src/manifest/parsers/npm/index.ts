export { packageLockParser } from './package-lock.parser';
export { pnpmLockParser } from './pnpm-lock.parser';
export { yarnLockParser } from './yarn-lock.parser';
