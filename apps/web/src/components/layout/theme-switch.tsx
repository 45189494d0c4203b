import { useTheme } from '../../hooks/use-theme';
import { isThemePreference } from '../../lib/theme';

/** Light, dark, or the system's choice; remembered in this browser. */
export function ThemeSwitch() {
  const [preference, choose] = useTheme();
  return (
    <label className="theme-switch">
      <span className="visually-hidden">Theme</span>
      <select
        className="inline-select"
        value={preference}
        onChange={(event) => {
          if (isThemePreference(event.target.value)) choose(event.target.value);
        }}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
