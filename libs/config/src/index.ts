export { AppConfig, ConfigError, appUrlFrom, configSchema, loadConfig, loadConfigOrExit, type ConfigValues } from './app-config.js';
export { AppConfigModule } from './config.module.js';
