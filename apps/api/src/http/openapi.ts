import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorResponse, FieldErrorView } from '#anpi/errors';
import { ChannelCounts } from '#anpi/tallies';
import { StateCounts } from '#anpi/alerts';

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };
const DEFAULT_ERRORS: Record<string, string> = {
  '400': 'The request is malformed or fails validation: the message and `errors` say which field and why',
  '401': 'No credentials, or they are not valid',
  '403': 'The caller may not do this (role, department scope or a suspended tenant; see `code`)',
  '404': 'Not found (or not visible to the caller)',
};

/**
 * The OpenAPI document (served at /docs and /docs-json), which the console generates its client
 * from. Error responses are completed here, in one place: every operation that takes input
 * documents 400, every secured one 401 and 403, every one with a path parameter 404, and each
 * error response carries the ErrorResponse schema.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('anpi API')
      .setDescription(
        '安否確認 (safety confirmation) service. Tenant routes take "Authorization: Bearer <access token or API key>"; ' +
          'platform routes take the platform operator key the same way.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT access token or anpi_sk_… API key',
        description: 'An access token from POST /v1/auth/login, or an API key (anpi_sk_…)',
      })
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'PLATFORM_API_KEY', description: 'The platform operator key (PLATFORM_API_KEY)' },
        'platform',
      )
      .build(),
    { extraModels: [ErrorResponse, FieldErrorView, StateCounts, ChannelCounts] },
  );
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses = operation.responses as Record<string, { description: string; content?: Record<string, unknown> }>;
      const wanted = [
        (operation.requestBody || operation.parameters?.length) && '400',
        operation.security?.length && '401',
        operation.security?.length && '403',
        path.includes('{') && '404',
      ].filter((s): s is string => typeof s === 'string');
      for (const status of wanted) responses[status] ??= { description: DEFAULT_ERRORS[status]! };
      for (const [status, response] of Object.entries(responses)) {
        if (/^[45]\d\d$/.test(status) && !response.content) response.content = { 'application/json': { schema: ERROR_REF } };
      }
    }
  }
  return document;
}
