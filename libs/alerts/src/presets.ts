import type { Channel } from '#anpi/db';
import type { FreeTextDto, QuestionDto } from './dto/question.dto.js';

export type { NotificationDetail } from './broadcast-content.js';
import type { NotificationDetail } from './broadcast-content.js';

/** Lock screens show previews: LINE and SMS carry the title and the link only, unless told otherwise. */
export const DEFAULT_NOTIFICATION_DETAIL: NotificationDetail = { line: 'title_only', sms: 'title_only', email: 'full', lineworks: 'title_only' };

export interface TemplateContent {
  name: string;
  title: string;
  body: string;
  questions: QuestionDto[];
  freeText: FreeTextDto | null;
  channels: Channel[];
  notificationDetail: NotificationDetail;
  drill: boolean;
  /** Default true. */
  lineQuickAnswer?: boolean;
  reminder?: { intervalMinutes: number; maxReminders: number } | null;
  escalation?: { order: Channel[]; afterMinutes: number } | null;
}

const yesNoUnknown = (id: string, label: string, labelEn: string, options: [string, string, string][]): QuestionDto => ({
  id,
  label,
  labelEn,
  required: true,
  options: options.map(([oid, ol, olEn]) => ({ id: oid, label: ol, labelEn: olEn })),
});

const EARTHQUAKE_QUESTIONS: QuestionDto[] = [
  yesNoUnknown('self', '本人', 'You', [
    ['safe', '無事', 'Safe'],
    ['minor_injury', '軽傷', 'Minor injury'],
    ['serious_injury', '重傷', 'Serious injury'],
  ]),
  yesNoUnknown('family', '家族', 'Family', [
    ['all_safe', '全員無事', 'All safe'],
    ['injured', '負傷者あり', 'Someone injured'],
    ['unknown', '未確認', 'Not yet known'],
  ]),
  yesNoUnknown('home', '家屋', 'Home', [
    ['no_damage', '無事', 'No damage'],
    ['partial', '一部損壊', 'Partly damaged'],
    ['destroyed', '全壊', 'Destroyed'],
  ]),
  yesNoUnknown('work', '出社', 'Coming to work', [
    ['yes', '可能', 'Can come'],
    ['no', '不可', 'Cannot come'],
    ['undecided', '未定', 'Not sure yet'],
  ]),
];

// The page adds 必須/任意 itself: labels do not say it.
const FREE_TEXT: FreeTextDto = { label: 'メッセージ', labelEn: 'Message', required: false, maxLength: 500 };
const ALL_CHANNELS: Channel[] = ['line', 'email', 'sms'];

/** Shipped with the product, read-only, usable by every tenant as `preset:<key>`. */
export const PRESETS: Record<string, TemplateContent> = {
  earthquake: {
    name: '地震 (Earthquake)',
    title: '地震発生 安否確認',
    body: '{{name}} さん\n地震が発生しました。ご自身とご家族の安全を確保したうえで、安否を回答してください。\nAn earthquake has occurred. Once you are safe, please report your status.',
    questions: EARTHQUAKE_QUESTIONS,
    freeText: FREE_TEXT,
    channels: ALL_CHANNELS,
    notificationDetail: DEFAULT_NOTIFICATION_DETAIL,
    drill: false,
  },
  storm: {
    name: '台風・大雨 (Typhoon / heavy rain)',
    title: '台風・大雨 安否確認',
    body: '{{name}} さん\n台風・大雨による被害が出ています。安全な場所から安否を回答してください。\nA typhoon or heavy rain is causing damage. From a safe place, please report your status.',
    questions: [
      EARTHQUAKE_QUESTIONS[0]!,
      EARTHQUAKE_QUESTIONS[1]!,
      yesNoUnknown('home', '家屋', 'Home', [
        ['no_damage', '無事', 'No damage'],
        ['flooded', '浸水', 'Flooded'],
        ['damaged', '損壊', 'Damaged'],
      ]),
      EARTHQUAKE_QUESTIONS[3]!,
    ],
    freeText: FREE_TEXT,
    channels: ALL_CHANNELS,
    notificationDetail: DEFAULT_NOTIFICATION_DETAIL,
    drill: false,
  },
  drill: {
    name: '訓練 (Drill)',
    title: '安否確認訓練',
    body: '{{name}} さん\nこれは安否確認の訓練です。実際の災害ではありません。訓練として回答してください。\nThis is a drill, not a real disaster. Please answer as you would in one.',
    questions: EARTHQUAKE_QUESTIONS,
    freeText: FREE_TEXT,
    channels: ALL_CHANNELS,
    notificationDetail: DEFAULT_NOTIFICATION_DETAIL,
    drill: true,
  },
};

export const PRESET_PREFIX = 'preset:';
