import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The error body, described once for the OpenAPI document. */
export class FieldErrorView {
  @ApiProperty({ example: 'name' }) field!: string;
  @ApiProperty({ example: 'name must not be empty' }) reason!: string;
}

/** Every 4xx and 5xx answer of the API has this shape. */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'Validation failed: name must not be empty' }) message!: string;
  @ApiPropertyOptional({
    description: 'Machine-readable reason, where one helps (tenant_suspended, login_throttled, json_too_deep, invalid_text, …)',
    example: 'invalid_text',
  })
  code?: string;
  @ApiPropertyOptional({ type: [FieldErrorView], description: 'Validation errors, one per field' }) errors?: FieldErrorView[];
  @ApiPropertyOptional({ description: 'Seconds to wait before retrying (also in the Retry-After header)' }) retryAfter?: number;
}
