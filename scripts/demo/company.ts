/** The demo company: a small Japanese firm with a three-level department tree. */
export interface DemoDepartment {
  code: string;
  name: string;
  parent?: string;
}

export const DEPARTMENTS: DemoDepartment[] = [
  { code: 'HQ', name: '本社' },
  { code: 'GA', name: '総務部', parent: 'HQ' },
  { code: 'GA-HR', name: '人事課', parent: 'GA' },
  { code: 'GA-ACC', name: '経理課', parent: 'GA' },
  { code: 'SALES', name: '営業部', parent: 'HQ' },
  { code: 'SALES-1', name: '第一課', parent: 'SALES' },
  { code: 'SALES-2', name: '第二課', parent: 'SALES' },
  { code: 'ENG', name: '技術部', parent: 'HQ' },
  { code: 'ENG-DEV', name: '開発課', parent: 'ENG' },
];

// [name, kana, romaji for the email, department code]
const PEOPLE: [string, string, string, string][] = [
  ['山田 太郎', 'ヤマダ タロウ', 'yamada.taro', 'HQ'],
  ['佐藤 花子', 'サトウ ハナコ', 'sato.hanako', 'GA'],
  ['鈴木 一郎', 'スズキ イチロウ', 'suzuki.ichiro', 'GA-HR'],
  ['高橋 美咲', 'タカハシ ミサキ', 'takahashi.misaki', 'GA-HR'],
  ['田中 健太', 'タナカ ケンタ', 'tanaka.kenta', 'GA-HR'],
  ['伊藤 さくら', 'イトウ サクラ', 'ito.sakura', 'GA-ACC'],
  ['渡辺 翔', 'ワタナベ ショウ', 'watanabe.sho', 'GA-ACC'],
  ['山本 陽子', 'ヤマモト ヨウコ', 'yamamoto.yoko', 'GA-ACC'],
  ['中村 大輔', 'ナカムラ ダイスケ', 'nakamura.daisuke', 'SALES'],
  ['小林 愛', 'コバヤシ アイ', 'kobayashi.ai', 'SALES-1'],
  ['加藤 拓也', 'カトウ タクヤ', 'kato.takuya', 'SALES-1'],
  ['吉田 結衣', 'ヨシダ ユイ', 'yoshida.yui', 'SALES-1'],
  ['山口 直樹', 'ヤマグチ ナオキ', 'yamaguchi.naoki', 'SALES-1'],
  ['松本 彩', 'マツモト アヤ', 'matsumoto.aya', 'SALES-1'],
  ['井上 亮', 'イノウエ リョウ', 'inoue.ryo', 'SALES-2'],
  ['木村 真由美', 'キムラ マユミ', 'kimura.mayumi', 'SALES-2'],
  ['林 浩二', 'ハヤシ コウジ', 'hayashi.koji', 'SALES-2'],
  ['斎藤 千尋', 'サイトウ チヒロ', 'saito.chihiro', 'SALES-2'],
  ['清水 誠', 'シミズ マコト', 'shimizu.makoto', 'ENG'],
  ['山崎 優花', 'ヤマザキ ユウカ', 'yamazaki.yuka', 'ENG-DEV'],
  ['森 大和', 'モリ ヤマト', 'mori.yamato', 'ENG-DEV'],
  ['池田 菜々子', 'イケダ ナナコ', 'ikeda.nanako', 'ENG-DEV'],
  ['橋本 悠斗', 'ハシモト ユウト', 'hashimoto.yuto', 'ENG-DEV'],
  ['阿部 美月', 'アベ ミヅキ', 'abe.mizuki', 'ENG-DEV'],
  ['石川 蓮', 'イシカワ レン', 'ishikawa.ren', 'ENG-DEV'],
  ['前田 葵', 'マエダ アオイ', 'maeda.aoi', 'ENG-DEV'],
  ['藤田 航', 'フジタ ワタル', 'fujita.wataru', 'ENG'],
  ['小川 凛', 'オガワ リン', 'ogawa.rin', 'GA'],
  ['岡田 健', 'オカダ ケン', 'okada.ken', 'SALES'],
  ['後藤 奈央', 'ゴトウ ナオ', 'goto.nao', 'HQ'],
];

export interface DemoEmployee {
  code: string;
  name: string;
  kana: string;
  departmentCode: string;
  email: string;
  mobile: string | null;
  locale: 'ja' | 'en';
  /** As the LINE integration would have stored it after the employee linked their account. */
  lineUserId: string | null;
}

export const EMPLOYEES: DemoEmployee[] = PEOPLE.map(([name, kana, romaji, departmentCode], i) => ({
  code: `E${String(i + 1).padStart(4, '0')}`,
  name,
  kana,
  departmentCode,
  email: `${romaji}@demo.anpi.example`,
  // Every other employee registered a mobile number (E.164).
  mobile: i % 2 === 0 ? `+8190${String(10_000_000 + i * 7_919).slice(0, 8)}` : null,
  locale: i === 7 ? 'en' : 'ja',
  // Seven in ten linked their LINE account.
  lineUserId: i % 10 < 7 ? `U${(0xde3000 + i).toString(16).padStart(32, '0')}` : null,
}));

export const DEMO_TENANT = { slug: 'demo', name: 'デモ株式会社 (Demo Co., Ltd.)' };
export const DEMO_PASSWORD = 'anpi-demo-password';
export const DEMO_USERS = [
  { email: 'admin@demo.anpi.example', name: '人事 管理者', role: 'admin' },
  { email: 'maintainer@demo.anpi.example', name: '名簿 担当', role: 'maintainer' },
  { email: 'sales-head@demo.anpi.example', name: '営業部長', role: 'department_head' },
] as const;

/** The department head of the demo sees 営業部 and its sections. */
export const DEMO_HEAD_DEPARTMENT = 'SALES';
