/** The first admin, created from these on the run's fresh data folder; the tests sign in with them. */
export const E2E_ADMIN = { username: 'root', password: 'e2e-admin-password-2026' } as const;
