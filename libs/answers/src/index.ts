export { AnswersModule } from './answers.module.js';
export { AnswerLinks, type AnswerContext, type LinkOutcome } from './answer-links.js';
export { AnswersService, type SubmitOutcome } from './answers.service.js';
export { AnswerGroupCommit, type LinkAnswer } from './answer-group-commit.js';
export { PageViewGroup, type PageView } from './page-view-group.js';
export { RecipientsService } from './recipients.service.js';
export { AnswersExport } from './answers-export.js';
export { validateAnswer, type AnswerProblem, type AnswerInput } from './answer-validator.js';
export * from './dto/answers.dto.js';
