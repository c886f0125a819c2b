export * from './http-errors.js';
export { ErrorResponse, FieldErrorView } from './error-response.js';
