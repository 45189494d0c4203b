/** The person's theme choice: follow the system, or force light or dark (docs/web.md "Themes"). */
export type ThemePreference = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'aegis.theme';
const PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

export function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (PREFERENCES as readonly string[]).includes(value);
}

export function storedThemePreference(): ThemePreference {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isThemePreference(stored) ? stored : 'system';
  } catch {
    // Storage can be disabled (privacy settings): the system's choice then.
    return 'system';
  }
}

/** Sets data-theme on <html>; the CSS tokens follow it, or prefers-color-scheme without it. */
export function applyThemePreference(preference: ThemePreference): void {
  const root = document.documentElement;
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
}

export function saveThemePreference(preference: ThemePreference): void {
  applyThemePreference(preference);
  try {
    if (preference === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, preference);
  } catch {
    // Not remembered across visits, still applied now.
  }
}
