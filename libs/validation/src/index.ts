export * from './dto-helpers.js';
export * from './safe-text.js';
