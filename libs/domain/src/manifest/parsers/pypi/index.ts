export { requirementsTxtParser } from './requirements-txt.parser';
export { poetryLockParser } from './poetry-lock.parser';
export { pipfileLockParser } from './pipfile-lock.parser';
export { uvLockParser } from './uv-lock.parser';
export { pdmLockParser } from './pdm-lock.parser';
