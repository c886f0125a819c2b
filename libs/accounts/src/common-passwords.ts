/**
 * Passwords of 12 characters or more that lead the public breach lists (and the obvious ones a
 * Japanese office would pick), lower-cased. Shorter ones are already refused by the length rule.
 * A short list shipped with the project: the point is to refuse the first guesses of any attacker.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011', '123123123123',
  '111111111111', '000000000000', '999999999999', '121212121212', '123412341234', '987654321098',
  '098765432109', '147258369147', '112233445566', '012345678910', '123456123456', '654321654321',
  'qwertyuiopas', 'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', 'qwertyqwerty', '1qaz2wsx3edc',
  '1q2w3e4r5t6y', 'q1w2e3r4t5y6', 'zaq12wsxcde3', 'asdfghjkl123', 'asdfasdfasdf', 'zxcvbnm12345',
  'qazwsxedcrfv', 'abcdefghijkl', 'abcdef123456', 'abc123abc123', 'abcd1234abcd', 'aaaaaaaaaaaa',
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password1234!', 'password123!',
  'password!123', 'p@ssword1234', 'p@ssw0rd1234', 'passw0rd1234', 'mypassword123', 'yourpassword',
  'changeme1234', 'changemenow!', 'letmein12345', 'welcome12345', 'welcome123456', 'welcome2024!',
  'welcome2025!', 'welcome2026!', 'iloveyou1234', 'iloveyou12345', 'administrator', 'administrator1',
  'admin1234567', 'adminadmin123', 'admin123456789', 'superadmin123', 'rootroot1234', 'testtest1234',
  'test12345678', 'guest1234567', 'default12345', 'sunshine1234', 'football1234', 'baseball1234',
  'princess1234', 'dragon123456', 'monkey123456', 'master123456', 'shadow123456', 'michael12345',
  'trustno1trustno1', 'correcthorse', 'correcthorsebatterystaple', 'correct horse battery staple',
  'thequickbrownfox', 'elephant1234', 'starwars1234', 'pokemon12345', 'doraemon1234', 'pikachu12345',
  'sakura123456', 'nihon1234567', 'nippon123456', 'tokyo1234567', 'tokyo2020tokyo', 'osaka1234567',
  'yamada123456', 'tanaka123456', 'suzuki123456', 'sato12345678', 'company12345', 'kaisha123456',
  'soumu1234567', 'jinji1234567', 'anpi12345678', 'anpikakunin1', 'anpikakunin123', 'anpi-kakunin',
  'safety123456', 'emergency123', 'emergency1234', 'earthquake123', 'jishin123456', 'bousai123456',
  'spring2026!!', 'summer2026!!', 'autumn2026!!', 'winter2026!!', 'january2026!', 'december2026',
  'qwerty123456789', '1234qwerasdf', 'qwer1234asdf', 'asdf1234qwer', '1234abcd1234', 'a1b2c3d4e5f6',
]);
