import { ApiProperty } from '@nestjs/swagger';

export class LinePreview {
  @ApiProperty({ description: 'Employees linked to LINE on the channel the alert goes out on' }) recipients!: number;
  @ApiProperty({ description: 'The LINE message objects exactly as sent (a Flex bubble with its buttons)', type: 'array', items: { type: 'object' } })
  messages!: Record<string, unknown>[];
}

export class EmailPreview {
  @ApiProperty({ description: 'Employees with an email address' }) recipients!: number;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'The plain-text part, for the first employee targeted (each link is personal)' }) text!: string;
}

export class SmsPreview {
  @ApiProperty({ description: 'Employees with a mobile number' }) recipients!: number;
  @ApiProperty({ description: 'For the first employee targeted (each short link is personal)' }) text!: string;
  @ApiProperty({ description: 'Segments billed per message' }) segments!: number;
  @ApiProperty({ enum: ['GSM-7', 'UCS-2'] }) encoding!: 'GSM-7' | 'UCS-2';
}

export class LineWorksPreview {
  @ApiProperty({ description: 'Employees with a LINE WORKS id (or an email to use as one), when LINE WORKS is set up' }) recipients!: number;
  @ApiProperty({ description: 'The message content for the first employee targeted (each link is personal)', type: 'object', additionalProperties: true })
  content!: Record<string, unknown>;
}

/** What an alert would send, to how many: nothing is stored, nothing is sent. */
export class BroadcastPreviewView {
  @ApiProperty({ description: 'Employees the alert would reach (active, as the directory is now)' }) recipients!: number;
  @ApiProperty({ description: 'Of those: reachable on none of the chosen channels' }) unreachable!: number;
  @ApiProperty() drill!: boolean;
  @ApiProperty({ description: 'As recipients see it: 【訓練】 first for drills' }) displayTitle!: string;
  @ApiProperty({ type: [String] }) channels!: string[];
  @ApiProperty({ type: LinePreview, required: false }) line?: LinePreview;
  @ApiProperty({ type: EmailPreview, required: false }) email?: EmailPreview;
  @ApiProperty({ type: SmsPreview, required: false }) sms?: SmsPreview;
  @ApiProperty({ type: LineWorksPreview, required: false }) lineworks?: LineWorksPreview;
}
