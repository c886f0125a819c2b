import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIBackend } from 'openapi-backend';
import YAML from 'yaml';
import { specsDir, validatingBackend } from './openapi-checker.js';

interface Schema {
  discriminator?: { propertyName: string; mapping: Record<string, string> };
}

/**
 * Checks webhook bodies against LINE's official webhook.yml: the request as a whole (`/callback`),
 * then each event against the schema its `type` maps to, and a message event's `message` against
 * its own type's schema. The spec's discriminators say which schema applies; ajv does not follow
 * them by itself, so each mapped schema gets a synthetic operation here.
 */
export class WebhookChecker {
  // openapi-backend matches a path by walking every operation with lodash (most of a tap flood's
  // load-generator CPU went there); a path always matches the same operation.
  private readonly matched = new Map<string, ReturnType<OpenAPIBackend['matchOperation']>>();

  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly eventTypes: Set<string>,
  ) {}

  static async load(): Promise<WebhookChecker> {
    const definition = YAML.parse(readFileSync(path.join(specsDir(), 'line', 'webhook.yml'), 'utf8')) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, Schema> };
    };
    const schemas = definition.components.schemas;
    const synthetic = (kind: string, mapping: Record<string, string>) => {
      for (const [type, ref] of Object.entries(mapping)) {
        definition.paths[`/${kind}/${type}`] = {
          post: {
            operationId: `${kind}-${type}`,
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: ref } } } },
            responses: { 200: { description: 'ok' } },
          },
        };
      }
    };
    synthetic('event', schemas.Event!.discriminator!.mapping);
    synthetic('message', schemas.MessageContent!.discriminator!.mapping);
    return new WebhookChecker(await validatingBackend(definition), new Set(Object.keys(schemas.Event!.discriminator!.mapping)));
  }

  /** Everything the spec finds wrong with this body; empty when it is valid. */
  check(body: unknown): string[] {
    const errors = this.validate('/callback', body);
    const events = (body as { events?: unknown[] } | null)?.events;
    if (!Array.isArray(events)) return errors;
    events.forEach((event, i) => {
      const type = (event as { type?: unknown }).type;
      if (typeof type !== 'string' || !this.eventTypes.has(type)) return errors.push(`/events/${i} has unknown type ${String(type)}`);
      errors.push(...this.validate(`/event/${type}`, event).map((e) => `/events/${i}${e}`));
      const message = (event as { message?: { type?: unknown } }).message;
      if (type === 'message' && message) errors.push(...this.validate(`/message/${String(message.type)}`, message).map((e) => `/events/${i}/message${e}`));
    });
    return errors;
  }

  private validate(pathName: string, body: unknown): string[] {
    const request = { method: 'post', path: pathName, headers: { 'content-type': 'application/json' }, body };
    if (!this.matched.has(pathName)) this.matched.set(pathName, this.api.matchOperation(request));
    const operation = this.matched.get(pathName);
    if (!operation) return [` no schema for ${pathName}`];
    const result = this.api.validateRequest(request, operation);
    return result.valid ? [] : (result.errors ?? []).map((e) => `${e.instancePath.replace(/^\/requestBody/, '') || ''} ${e.message ?? ''}`);
  }
}
