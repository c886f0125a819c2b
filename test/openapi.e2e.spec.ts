import { validate } from '@readme/openapi-parser';
import { startTestApi, type TestApi } from './support/test-api.js';

type Operation = {
  summary?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
};

/** The document the console generates its client from: valid, complete, and honest about errors. */
describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { description?: string; bearerFormat?: string }> };
  };

  beforeAll(async () => {
    api = await startTestApi();
    doc = (await api.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => api.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, op })),
    );

  it('is valid OpenAPI with every reference resolving', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((name) => !(name in doc.components.schemas))).toEqual([]);
  });

  it('gives every operation a summary and a success response', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(70);
    expect(ops.filter(({ op }) => !op.summary?.trim()).map((o) => o.name)).toEqual([]);
    expect(ops.filter(({ op }) => !Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))).map((o) => o.name)).toEqual([]);
  });

  it('documents 400 with the error schema wherever a request carries input, and every error response has a schema', () => {
    const ops = operations();
    const takesInput = ops.filter(({ op }) => op.requestBody || (op.parameters?.length ?? 0) > 0);
    expect(takesInput.filter(({ op }) => !op.responses['400']).map((o) => o.name)).toEqual([]);
    const errorsWithoutSchema = ops.flatMap(({ name, op }) =>
      Object.entries(op.responses)
        .filter(([status, response]) => /^[45]\d\d$/.test(status) && !response.content?.['application/json']?.schema)
        .map(([status]) => `${name} ${status}`),
    );
    expect(errorsWithoutSchema).toEqual([]);
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
    // Secured operations say 401; the plans routes say more than 401.
    expect(ops.filter(({ op }) => op.security?.length && !op.responses['401']).map((o) => o.name)).toEqual([]);
    expect(Object.keys(doc.paths['/v1/plans']!.post!.responses)).toContain('201');
    expect(Object.keys(doc.paths['/v1/plans/{id}']!.patch!.responses)).toContain('200');
  });

  it('shows what the bearer header takes', () => {
    for (const scheme of Object.values(doc.components.securitySchemes)) {
      expect(scheme.bearerFormat).toBeTruthy();
      expect(scheme.description).toBeTruthy();
    }
  });
});
