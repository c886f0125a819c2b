export { LineWorksModule, LineWorksEventsModule } from './lineworks.module.js';
export { LineWorksCallbackIntake, type CallbackResult } from './callback-intake.js';
export { isValidWorksSignature } from './callback-signature.js';
export { lineworksEventKey, type LineWorksEvent } from './events/lineworks-event.js';
