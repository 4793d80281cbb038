export * from './admins';
export * from './users';
export * from './account-settings';
export * from './events';
export * from './outbox';
export * from './auth';
export * from './devices';
export * from './mfa';
