export * from './create-activities';
export * from './scan/scan-activity.types';
export * from './scan/activity-failure';
