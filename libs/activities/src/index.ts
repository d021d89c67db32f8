export * from './create-activities';
export * from './scan/scan-activity.types';
export * from './scan/activity-failure';
export * from './advisories/advisory-activity.types';
