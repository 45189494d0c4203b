export * from './lib/role';
export * from './lib/action-class';
export * from './lib/error';
export * from './lib/provider';
export * from './lib/approval';
export type { paths as ApiPaths, components as ApiComponents } from './generated/api';
export * from './lib/socket-events';
export * from './lib/uuid';
