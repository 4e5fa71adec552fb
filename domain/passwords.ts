/**
 * What a local account's password must be: long enough, and not one of the passwords every attacker
 * tries first. Length beats composition rules (NIST SP 800-63B), so there are none.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** The most common passwords (and their Norwegian kin) of at least the minimum length; compared case-insensitively. */
const COMMON = new Set(
  [
    '123456789012',
    '1234567890123',
    '12345678910',
    'qwertyuiopas',
    'qwertyuiop123',
    'qwerty123456',
    'password1234',
    'password12345',
    'passord12345',
    'passord123456',
    'passordpassord',
    'passwordpassword',
    'iloveyou1234',
    'administrator',
    'administrator1',
    'letmein12345',
    'welcome12345',
    'velkommen123',
    'velkommen1234',
    'sommer2024!!',
    'sommer20242024',
    'sommeren2025',
    'sommeren2026',
    'vinter2025!!',
    'hordaland123',
    'vestland1234',
    'vestland2024',
    'bergen123456',
    'brann1908brann',
    'oppfolging123',
    'oppfølging123',
    'changeme1234',
    'abcdefghijkl',
    'aaaaaaaaaaaa',
    '111111111111',
    '000000000000',
    'asdfghjklasd',
    'zxcvbnm12345',
    'trustno1trustno1',
    'football1234',
    'baseball1234',
    'superman1234',
    'sunshine1234',
    'princess1234',
    'monkey123456',
    'dragon123456',
    'starwars1234',
    'whatever1234',
    'qazwsxedcrfv',
    '1q2w3e4r5t6y',
  ].map((p) => p.toLowerCase()),
);

/** Why a password will not do, or undefined when it will. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `the password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `the password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'that password is one of the most common ones: choose another';
  if (lower.includes(username.toLowerCase())) return 'the password must not contain the user name';
  if (new Set(password).size < 4) return 'the password repeats too few characters: choose another';
  return undefined;
}
