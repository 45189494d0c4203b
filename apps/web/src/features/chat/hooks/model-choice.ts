const MODEL_KEY = 'aegis.chat.model';

/** The model picked in the composer ('' = Automatic: the server's cascade chooses); kept for the tab's life. */
export function readModelChoice(): string {
  try {
    return sessionStorage.getItem(MODEL_KEY) ?? '';
  } catch {
    return '';
  }
}

export function writeModelChoice(model: string): void {
  try {
    if (model) sessionStorage.setItem(MODEL_KEY, model);
    else sessionStorage.removeItem(MODEL_KEY);
  } catch {
    // Only the choice's memory across reloads is lost.
  }
}
