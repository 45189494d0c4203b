import { useCallback, useState } from 'react';
import { saveThemePreference, storedThemePreference, type ThemePreference } from '../lib/theme';

/** The theme choice and its setter; main.tsx applies the stored one before the first paint. */
export function useTheme(): [ThemePreference, (preference: ThemePreference) => void] {
  const [preference, setPreference] = useState(storedThemePreference);
  const choose = useCallback((next: ThemePreference) => {
    saveThemePreference(next);
    setPreference(next);
  }, []);
  return [preference, choose];
}
