/** The password policy: at least 12 characters (NIST SP 800-63B style: length over composition rules), at most 256, not the username. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Every way `password` breaks the policy; empty when it is acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(`password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (username.length > 0 && password.toLowerCase().includes(username.toLowerCase()))
    problems.push('password must not contain the username');
  return problems;
}
