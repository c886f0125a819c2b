import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type Actor } from '#anpi/audit';
import { TenantDb, isDatabaseUnavailable, type Answer, type TenantId } from '#anpi/db';
import { DepartmentScope, type DirectoryViewer } from '#anpi/directory';
import { TallyNotifier } from '#anpi/tallies';
import { AnswerGroupCommit } from './answer-group-commit.js';
import { PageViewGroup } from './page-view-group.js';
import { AnswerLinks, type AnswerContext, type LinkOutcome, type ValidLink } from './answer-links.js';
import { type AnsweredByLink } from './answer-outcome.js';
import type { AnswerInput, AnswerProblem } from './answer-validator.js';
import { AnswerRecorder } from './answer-recorder.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '#anpi/errors';

export type { SubmitOutcome } from './answer-outcome.js';

/**
 * Recording answers. Each submission is a new row (history); the recipient row holds the newest
 * one for tallies. The form's submission key makes a double tap or a network retry one answer.
 */
@Injectable()
export class AnswersService {
  private readonly logger = new Logger(AnswersService.name);

  constructor(
    private readonly db: TenantDb,
    private readonly links: AnswerLinks,
    private readonly groups: AnswerGroupCommit,
    private readonly views: PageViewGroup,
    private readonly tallies: TallyNotifier,
    private readonly recorder: AnswerRecorder,
    private readonly scope: DepartmentScope,
  ) {}

  /**
   * An employee opens their link: the context for the page, the first opening recorded with it.
   * Like answers, a link to a broadcast this process knows joins a group (PageViewGroup tells the
   * tally itself); otherwise, or when its group failed as a whole, it is opened alone.
   */
  async openByLink(token: string): Promise<LinkOutcome<AnswerContext>> {
    const link = this.links.check(token);
    if (link.kind !== 'valid') return link;
    const content = this.links.cachedContent(link.broadcastId);
    if (content) {
      try {
        return await this.views.submit({ tenantId: content.tenantId as TenantId, content, recipientId: link.recipientId });
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        this.logger.warn({
          msg: 'page view group failed; opening its pages one by one',
          tenantId: content.tenantId,
          broadcastId: content.id,
          err: (error as Error).message,
        });
      }
    }
    const viewed = await this.links.view(link);
    if (viewed.kind !== 'found') return viewed;
    const { ctx, firstOpening } = viewed.value;
    if (firstOpening) await this.tallies.changed(ctx.tenantId, ctx.broadcast.id);
    return { kind: 'found', value: ctx };
  }

  /**
   * The location check's answer from the link: `in_area` joins the tally, `outside` stays out of it.
   * Only for those the location check asked (the column is null for everyone the alert targeted).
   */
  async recordLocation(token: string, inArea: boolean): Promise<LinkOutcome<AnswerContext>> {
    const link = this.links.check(token);
    if (link.kind !== 'valid') return link;
    const found = await this.links.setLocation(link, inArea ? 'in_area' : 'outside');
    if (found.kind === 'found') await this.tallies.changed(found.value.tenantId, found.value.broadcast.id);
    return found;
  }

  /**
   * An employee sends the form from their link. A link to a broadcast this process has read lately
   * joins a group commit with the answers arriving at the same time; otherwise (the first answers
   * after a launch or a restart, or a group that failed as a whole) it is resolved and written in
   * a unit of work of its own (one pool checkout, three round trips). The tally is told after the
   * commit either way.
   */
  async answerByLink(token: string, input: AnswerInput, submissionKey: string): Promise<LinkOutcome<AnsweredByLink>> {
    const link = this.links.check(token);
    if (link.kind !== 'valid') return link;
    const content = this.links.cachedContent(link.broadcastId);
    if (content) {
      try {
        return await this.groups.submit({ tenantId: content.tenantId as TenantId, content, recipientId: link.recipientId, input, submissionKey });
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        this.logger.warn({
          msg: 'answer group failed; writing its answers one by one',
          tenantId: content.tenantId,
          broadcastId: content.id,
          err: (error as Error).message,
        });
      }
    }
    return this.answerAlone(link, input, submissionKey);
  }

  private async answerAlone(link: ValidLink, input: AnswerInput, submissionKey: string): Promise<LinkOutcome<AnsweredByLink>> {
    const answered = await this.links.openChecked(link, async (ctx, sql) => ({
      ctx,
      outcome: await this.recorder.check(ctx, input, submissionKey, { source: 'self' }, (write) => write(sql)),
    }));
    if (answered.kind === 'found' && answered.value.outcome.status === 'recorded' && !answered.value.outcome.duplicate) {
      await this.tallies.changed(answered.value.ctx.tenantId, answered.value.ctx.broadcast.id);
    }
    return answered;
  }

  /**
   * An admin records an answer for an employee (after a phone call), marked as proxy; so may a
   * department head for employees of their subtrees when the tenant allows it (headsSeeContacts).
   */
  async proxy(viewer: DirectoryViewer, actor: Actor, broadcastId: string, recipientId: string, input: AnswerInput, idempotencyKey?: string): Promise<Answer> {
    const { tenantId } = viewer;
    const ctx = await this.db.run(tenantId, async (tx) => {
      if (viewer.tier === 'head') {
        const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { headsSeeContacts: true } });
        if (!tenant?.headsSeeContacts) {
          throw new ForbiddenError('heads_cannot_proxy', 'Department heads may enter answers only when an admin turns on the setting headsSeeContacts');
        }
      }
      const visible = await this.scope.visibleIds(tx, viewer);
      const broadcast = await tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
      const recipient = broadcast
        ? await tx.recipient.findFirst({ where: { id: recipientId, broadcastId, tenantId, ...(visible ? { departmentPath: { hasSome: visible } } : {}) } })
        : null;
      return broadcast && recipient ? { tenantId, broadcast, recipient } : null;
    });
    if (!ctx) throw new NotFoundError(`Recipient ${recipientId} of broadcast ${broadcastId} not found`);
    const outcome = await this.recorder.submit(
      ctx,
      input,
      `proxy:${idempotencyKey ?? randomUUID()}`,
      { source: 'proxy', enteredById: actor.type === 'user' ? actor.id : null },
      actor,
    );
    if (outcome.status === 'closed') throw new ConflictError('broadcast_closed', 'The broadcast is closed: no more answers are accepted');
    if (outcome.status === 'invalid') {
      const errors = outcome.problems.map((p) => ({ field: p.field === 'message' ? 'message' : `choices.${p.field}`, reason: reason(p) }));
      throw new InvalidInputError(errors, `Validation failed: ${errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`);
    }
    return outcome.answer;
  }

  async history(ctx: AnswerContext): Promise<Answer[]> {
    return this.db.run(ctx.tenantId, (tx) =>
      tx.answer.findMany({ where: { tenantId: ctx.tenantId, recipientId: ctx.recipient.id }, orderBy: { submittedAt: 'desc' } }),
    );
  }
}

function reason(p: AnswerProblem): string {
  switch (p.code) {
    case 'required':
      return 'is required';
    case 'unknown_option':
      return 'is not one of the options';
    case 'too_long':
      return `must be at most ${p.limit} characters`;
    case 'unknown_question':
      return 'is not a question of this broadcast';
  }
}
