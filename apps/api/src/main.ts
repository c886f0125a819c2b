import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '#anpi/config';
import { createLogger, PinoNestLogger } from '#anpi/observability';
import { ApiModule } from './api.module.js';
import { configureApi } from './configure-api.js';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, service: 'api' });
  const app = await NestFactory.create(ApiModule.register(config), { logger: new PinoNestLogger(logger), abortOnError: false });
  configureApi(app, config, createLogger({ level: config.logLevel, service: 'api', withContext: false }));
  await app.listen(config.port, config.host);
  logger.info({ port: config.port, host: config.host }, 'api listening');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
