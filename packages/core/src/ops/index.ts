// Every public op, by family. New op files are added here.
export * from './creation.js';
export * from './unary.js';
export * from './binary.js';
export * from './where.js';
export * from './reduce.js';
export * from './reshape.js';
export * from './tile.js';
