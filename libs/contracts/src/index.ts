export * from './lib/role';
export * from './lib/action-class';
export * from './lib/error';
export * from './lib/provider';
export type { paths as ApiPaths, components as ApiComponents } from './generated/api';
