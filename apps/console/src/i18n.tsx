import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'ja' | 'en';

const ja = {
  appName: 'anpi 安否確認',
  login: 'ログイン',
  logout: 'ログアウト',
  tenant: '企業コード',
  email: 'メールアドレス',
  password: 'パスワード',
  loggingIn: 'ログイン中…',
  wrongCredentials: '企業コード、メールアドレスまたはパスワードが違います。',
  throttled: 'ログインの失敗が続いたため、{s} 秒お待ちください。',
  suspended: 'この企業のご利用は停止されています。',
  endedLogout: 'ログアウトしました。',
  endedExpired: 'セッションの有効期限が切れました。もう一度ログインしてください。',
  home: 'ホーム',
  launch: '安否確認を送信',
  directory: '社員名簿',
  rules: '自動送信ルール',
  inProgress: '実施中',
  recent: '最近の安否確認',
  none: 'ありません',
  answerRate: '回答率',
  answered: '回答済み',
  unanswered: '未回答',
  targeted: '対象',
  delivered: '配信済み',
  pendingLaunches: '自動送信の保留中',
  holdLeft: '送信まで残り {s}',
  cancel: '取り消す',
  cancelLaunchConfirm: 'この自動送信を取り消しますか？ 何も送信されません。',
  drill: '訓練',
  real: '本番',
  template: 'テンプレート',
  targets: '送信対象',
  everyone: '全社員',
  departments: '部署を選ぶ',
  employees: '社員を選ぶ',
  search: '検索',
  searchPlaceholder: '氏名・ふりがな・社員番号',
  channels: '送信チャネル',
  reminders: 'リマインド',
  remindersTemplate: 'テンプレートのとおり',
  remindersNone: 'リマインドしない',
  escalation: 'エスカレーション',
  escalationTemplate: 'テンプレートのとおり',
  escalationNone: 'すべてのチャネルに同時に送る',
  kind: '種別',
  preview: 'プレビュー',
  next: '次へ',
  back: '戻る',
  recipients: '送信人数',
  people: '{n} 人',
  unreachable: 'どのチャネルにも連絡先がない人: {n} 人',
  segments: '{n} 通分（{enc}）',
  confirmTitle: '送信の確認',
  confirmText: '{n} 人に「{title}」を送信します。',
  confirmDrill: 'これは訓練です。',
  confirmReal: 'これは本番の安否確認です（訓練ではありません）。',
  send: '送信する',
  sending: '送信中…',
  selectSomething: '送信対象を選んでください。',
  status: '状態',
  statusNames: 'queued:送信準備中,sending:送信中,completed:送信完了,cancelled:取消,closed:締切',
  close: '締め切る',
  closeConfirm: '回答の受付を締め切りますか？',
  cancelBroadcast: '未送信分を取り消す',
  cancelBroadcastConfirm: 'まだ送信されていない分を取り消しますか？',
  downloadCsv: '回答CSVをダウンロード',
  remind: '未回答者に再送',
  remindersSent: '再送 {n} 回',
  tally: '部署別集計',
  expand: '開く',
  collapse: '閉じる',
  department: '部署',
  questionsTotal: '回答の内訳',
  unansweredPeople: '未回答者',
  contacts: '連絡先',
  reachableBy: '連絡手段',
  proxyAnswer: '代理回答',
  proxyMessage: 'メッセージ（任意）',
  save: '保存',
  saved: '保存しました。',
  live: 'ライブ更新中',
  reconnecting: '再接続中…',
  channelLine: 'LINE',
  channelEmail: 'メール',
  channelSms: 'SMS',
  perChannel: 'チャネル別',
  sent: '送信済み',
  pending: '送信待ち',
  failed: '失敗',
  code: '社員番号',
  name: '氏名',
  active: '在籍',
  lineStatus: 'LINE',
  lineStatusNames: 'linked:連携済み,unlinked:未連携,unreachable:ブロック等で届かない',
  employeeList: '社員一覧',
  importCsv: 'CSV取り込み',
  chooseFile: 'CSVファイルを選ぶ',
  dryRun: '確認（書き込みません）',
  apply: '取り込む',
  created: '新規',
  updated: '更新',
  unchanged: '変更なし',
  deactivated: '無効化',
  rowErrors: '行エラー',
  row: '行',
  column: '列',
  value: '値',
  reason: '理由',
  importApplied: '取り込みました。',
  fixErrors: 'エラーを直したファイルを選び直してください。何も書き込まれていません。',
  allDepartments: 'すべての部署',
  enabled: '有効',
  disabled: '無効',
  language: 'English',
  loading: '読み込み中…',
  error: 'エラー',
  notFound: 'ページが見つかりません。',
  forbidden: 'この画面を見る権限がありません。',
  source: '自動送信（気象庁）',
  sender: '送信者',
  createdAt: '作成',
  total: '全体',
  open: '開く',
  total_n: '全 {n} 件',
};

export type MessageKey = keyof typeof ja;

const en: Record<MessageKey, string> = {
  appName: 'anpi safety confirmation',
  login: 'Log in',
  logout: 'Log out',
  tenant: 'Company code',
  email: 'Email',
  password: 'Password',
  loggingIn: 'Logging in…',
  wrongCredentials: 'Wrong company code, email or password.',
  throttled: 'Too many failed logins: wait {s} seconds.',
  suspended: 'This company’s account is suspended.',
  endedLogout: 'You have logged out.',
  endedExpired: 'Your session expired. Please log in again.',
  home: 'Home',
  launch: 'Send a safety check',
  directory: 'Directory',
  rules: 'Automatic launch rules',
  inProgress: 'In progress',
  recent: 'Recent safety checks',
  none: 'None',
  answerRate: 'Answer rate',
  answered: 'Answered',
  unanswered: 'Not answered',
  targeted: 'Targeted',
  delivered: 'Delivered',
  pendingLaunches: 'Automatic launches on hold',
  holdLeft: '{s} left before sending',
  cancel: 'Cancel',
  cancelLaunchConfirm: 'Cancel this automatic launch? Nothing will be sent.',
  drill: 'Drill',
  real: 'Real',
  template: 'Template',
  targets: 'Send to',
  everyone: 'Everyone',
  departments: 'Departments',
  employees: 'Employees',
  search: 'Search',
  searchPlaceholder: 'Name, kana or employee number',
  channels: 'Channels',
  reminders: 'Reminders',
  remindersTemplate: 'As the template says',
  remindersNone: 'No reminders',
  escalation: 'Escalation',
  escalationTemplate: 'As the template says',
  escalationNone: 'All channels at once',
  kind: 'Kind',
  preview: 'Preview',
  next: 'Next',
  back: 'Back',
  recipients: 'Recipients',
  people: '{n} people',
  unreachable: 'Reachable on none of the channels: {n}',
  segments: '{n} segment(s) ({enc})',
  confirmTitle: 'Confirm',
  confirmText: '“{title}” will be sent to {n} people.',
  confirmDrill: 'This is a drill.',
  confirmReal: 'This is a REAL safety check (not a drill).',
  send: 'Send',
  sending: 'Sending…',
  selectSomething: 'Choose who to send to.',
  status: 'Status',
  statusNames: 'queued:Preparing,sending:Sending,completed:Sent,cancelled:Cancelled,closed:Closed',
  close: 'Close',
  closeConfirm: 'Stop taking answers?',
  cancelBroadcast: 'Cancel unsent',
  cancelBroadcastConfirm: 'Cancel what has not been sent yet?',
  downloadCsv: 'Download answers (CSV)',
  remind: 'Remind those who have not answered',
  remindersSent: '{n} reminder(s) sent',
  tally: 'Tally by department',
  expand: 'Expand',
  collapse: 'Collapse',
  department: 'Department',
  questionsTotal: 'Answers',
  unansweredPeople: 'Not answered',
  contacts: 'Contacts',
  reachableBy: 'Reachable by',
  proxyAnswer: 'Answer for them',
  proxyMessage: 'Message (optional)',
  save: 'Save',
  saved: 'Saved.',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  channelLine: 'LINE',
  channelEmail: 'Email',
  channelSms: 'SMS',
  perChannel: 'By channel',
  sent: 'Sent',
  pending: 'Pending',
  failed: 'Failed',
  code: 'No.',
  name: 'Name',
  active: 'Active',
  lineStatus: 'LINE',
  lineStatusNames: 'linked:Linked,unlinked:Not linked,unreachable:Unreachable (blocked)',
  employeeList: 'Employees',
  importCsv: 'Import CSV',
  chooseFile: 'Choose a CSV file',
  dryRun: 'Check (writes nothing)',
  apply: 'Import',
  created: 'Created',
  updated: 'Updated',
  unchanged: 'Unchanged',
  deactivated: 'Deactivated',
  rowErrors: 'Row errors',
  row: 'Row',
  column: 'Column',
  value: 'Value',
  reason: 'Reason',
  importApplied: 'Imported.',
  fixErrors: 'Fix the file and choose it again. Nothing was written.',
  allDepartments: 'All departments',
  enabled: 'On',
  disabled: 'Off',
  language: '日本語',
  loading: 'Loading…',
  error: 'Error',
  notFound: 'Page not found.',
  forbidden: 'You may not see this screen.',
  source: 'Automatic (JMA)',
  sender: 'Sender',
  createdAt: 'Created',
  total: 'Total',
  open: 'Open',
  total_n: '{n} in all',
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { ja, en };

/** The language is remembered per user in a cookie (no local storage in the console). */
function cookieName(userId: string | undefined): string {
  return `anpi_console_lang${userId ? `_${userId.slice(0, 8)}` : ''}`;
}

export function storedLang(userId?: string): Lang {
  const match = document.cookie.match(new RegExp(`(?:^|; )${cookieName(userId)}=(ja|en)`));
  return (match?.[1] as Lang | undefined) ?? 'ja';
}

function storeLang(lang: Lang, userId?: string): void {
  for (const name of new Set([cookieName(userId), cookieName(undefined)]))
    document.cookie = `${name}=${lang}; Path=/console/; Max-Age=31536000; SameSite=Strict; Secure`;
}

interface I18n {
  lang: Lang;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  setLang(lang: Lang, userId?: string): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => storedLang());
  const value = useMemo<I18n>(
    () => ({
      lang,
      t: (key, values) => dictionaries[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`)),
      setLang: (next, userId) => {
        storeLang(next, userId);
        document.documentElement.lang = next;
        setLangState(next);
      },
    }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Dates in Japan time, whatever the browser's zone. */
export function formatJst(value: string | Date | null | undefined, lang: Lang): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(value));
}

/** A value's name from a "value:name,…" message. */
export function nameOf(t: I18n['t'], key: 'statusNames' | 'lineStatusNames', value: string): string {
  const pairs = Object.fromEntries(
    t(key)
      .split(',')
      .map((p) => p.split(':') as [string, string]),
  );
  return pairs[value] ?? value;
}

export function statusName(t: I18n['t'], status: string): string {
  return nameOf(t, 'statusNames', status);
}
