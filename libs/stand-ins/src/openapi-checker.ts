import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Request as OpenApiRequest } from 'openapi-backend';
import YAML from 'yaml';

/** The repository's vendored copies of the providers' official specs (specs/). */
export function specsDir(): string {
  if (process.env.ANPI_SPECS_DIR) return process.env.ANPI_SPECS_DIR;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'specs', 'SOURCES.md'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('specs/ not found above the stand-ins; set ANPI_SPECS_DIR');
    dir = parent;
  }
  return path.join(dir, 'specs');
}

/** An OpenAPI backend that validates requests against `definition` (formats included, lenient on vendor keywords). */
export async function validatingBackend(definition: unknown): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: definition as never,
    quick: true,
    strict: false,
    validate: true,
    ajvOpts: { strict: false, logger: false },
    customizeAjv: (ajv) => {
      addFormats.default(ajv);
      return ajv;
    },
  });
  await api.init();
  return api;
}

export interface Violation {
  operation: string | null;
  errors: string[];
}

/**
 * Validates requests against an official OpenAPI document with openapi-backend (ajv), compiling
 * each operation's validator on first use. A request the provider would refuse is reported.
 */
export class OpenApiChecker {
  // openapi-backend matches a path by walking every operation with lodash, which made the stand-ins
  // the busiest process of a benchmark; a request line always matches the same operation.
  private readonly matched = new Map<string, ReturnType<OpenAPIBackend['matchOperation']>>();

  private constructor(private readonly api: OpenAPIBackend) {}

  static async load(file: string): Promise<OpenApiChecker> {
    const text = readFileSync(path.join(specsDir(), file), 'utf8');
    const definition = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
    return new OpenApiChecker(await validatingBackend(definition));
  }

  operationId(request: OpenApiRequest): string | null {
    return this.match(request)?.operationId ?? null;
  }

  check(request: OpenApiRequest): Violation | null {
    const operation = this.match(request);
    if (!operation) return { operation: null, errors: [`no operation ${request.method.toUpperCase()} ${request.path} in the spec`] };
    const result = this.api.validateRequest(request, operation);
    if (result.valid) return null;
    return { operation: operation.operationId ?? null, errors: (result.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()) };
  }

  private match(request: OpenApiRequest): ReturnType<OpenAPIBackend['matchOperation']> {
    const key = `${request.method.toUpperCase()} ${request.path}`;
    if (!this.matched.has(key)) {
      if (this.matched.size >= 10_000) this.matched.clear();
      this.matched.set(key, this.api.matchOperation(request));
    }
    return this.matched.get(key);
  }
}
