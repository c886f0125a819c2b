import { Injectable } from '@nestjs/common';
import { PlatformDb, isUniqueViolation, isUuid } from '#anpi/db';
import { PlanView, type CreatePlanDto, type UpdatePlanDto } from './dto/plan.dto.js';
import { ConflictError, NotFoundError } from '#anpi/errors';

/** The platform's price list. */
@Injectable()
export class PlansService {
  constructor(private readonly db: PlatformDb) {}

  async list(): Promise<PlanView[]> {
    const plans = await this.db.run((tx) => tx.plan.findMany({ orderBy: [{ monthlyFee: 'asc' }, { code: 'asc' }] }));
    return plans.map(PlanView.from);
  }

  async get(id: string): Promise<PlanView> {
    const plan = isUuid(id) ? await this.db.run((tx) => tx.plan.findUnique({ where: { id } })) : null;
    if (!plan) throw NotFoundError.of('Plan', id);
    return PlanView.from(plan);
  }

  async create(dto: CreatePlanDto): Promise<PlanView> {
    try {
      const plan = await this.db.run((tx) =>
        tx.plan.create({
          data: {
            code: dto.code,
            name: dto.name,
            initialFee: dto.initialFee,
            monthlyFee: dto.monthlyFee,
            includedMessages: dto.includedMessages,
            overageUnitPrice: dto.overageUnitPrice,
            countedChannels: dto.countedChannels ?? ['line'],
            smsSegmentPrice: dto.smsSegmentPrice ?? null,
            taxRatePercent: dto.taxRatePercent ?? 10,
          },
        }),
      );
      return PlanView.from(plan);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('code_taken', `A plan with code "${dto.code}" already exists`);
      throw error;
    }
  }

  async update(id: string, dto: UpdatePlanDto): Promise<PlanView> {
    await this.get(id);
    return PlanView.from(await this.db.run((tx) => tx.plan.update({ where: { id }, data: { name: dto.name, active: dto.active } })));
  }
}
