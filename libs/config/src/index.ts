export { AppConfig, ConfigError, appUrlFrom, loadConfig, loadConfigOrExit, type ConfigValues } from './app-config.js';
export { AppConfigModule } from './config.module.js';
