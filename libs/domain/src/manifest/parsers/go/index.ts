export { goModParser } from './go-mod.parser';
