/** A text field's value from FormData; '' when it is missing (or, impossibly here, a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
