export * from './contest';
export * from './errors';
export * from './events';
export * from './http';
export * from './online';
export * from './organiser';
export * from './certificates';
export * from './practice';
