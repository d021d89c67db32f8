export * from './create-activities';
export * from './scan/scan-activity.types';
export * from './scan/rematch-snapshot.activity';
export * from './as-activity';
export * from './advisories/advisory-activity.types';
export * from './notifications/notification-activity.types';
