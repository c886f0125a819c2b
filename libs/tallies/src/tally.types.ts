import { ApiProperty } from '@nestjs/swagger';

export class Counts {
  @ApiProperty() targeted!: number;
  @ApiProperty({ description: 'Delivered on at least one channel' }) delivered!: number;
  @ApiProperty({ description: 'Opened the answer page' }) opened!: number;
  @ApiProperty({ description: 'Answered, complete or not (safety first: the one-tap 無事です counts)' }) answered!: number;
  @ApiProperty({ description: 'Of answered: with a required question still empty (the LINE one-tap 無事です, a partial proxy answer); worth a follow-up' })
  answeredPartially!: number;
  @ApiProperty() unanswered!: number;
  @ApiProperty({ description: 'answered / targeted, 0..1 (3 decimals)' }) answerRate!: number;
  @ApiProperty({ description: '{ questionId: { optionId: count } } over current answers', type: 'object', additionalProperties: true })
  questions!: Record<string, Record<string, number>>;
}

export class DepartmentCounts extends Counts {
  @ApiProperty() departmentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) parentId!: string | null;
  @ApiProperty({ description: '1 for a top-level department' }) depth!: number;
  @ApiProperty({ type: [String], description: 'Ids from the top level down to this department' }) path!: string[];
}

export class ChannelCounts {
  @ApiProperty({ description: 'Recipients with a delivery on this channel (not skipped)' }) targeted!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty({ description: 'Of those delivered on this channel' }) answered!: number;
}

export class TallyView {
  @ApiProperty() broadcastId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) computedAt!: string;
  @ApiProperty({ type: Counts, description: 'The whole company, or for a department head the union of their subtrees' }) total!: Counts;
  @ApiProperty({ type: [DepartmentCounts], description: 'Every department, each rolled up with its sub-departments; by primary department at launch' })
  departments!: DepartmentCounts[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ChannelCounts' } }) channels!: Record<string, ChannelCounts>;
}
