/**
 * A tool's argument form, generated from the JSON Schema GET /api/tools publishes for it
 * (docs/web.md "Tools and actions"): which control each argument gets, its limits, and the
 * checks the browser makes before sending (the server checks again).
 */

export type FieldKind = 'text' | 'textarea' | 'number' | 'checkbox' | 'list' | 'json';

export interface StringRules {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface FormField extends StringRules {
  /** The argument's name, as sent. */
  name: string;
  /** The name in words: "maxBytes" → "Max bytes". */
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** text/textarea/list/json: the text the control starts with; number: the number as text; checkbox: its state. */
  initial: string | boolean;
  /** number */
  minimum?: number;
  maximum?: number;
  integer?: boolean;
  /** list: how many items, and the rules of each. */
  minItems?: number;
  maxItems?: number;
  item?: StringRules;
}

export interface ToolForm {
  fields: FormField[];
}

/** What the controls hold: text for every kind but the checkbox. */
export type FormValues = Record<string, string | boolean>;

export type FormErrors = Record<string, string>;

/** A string longer than this may be typed over many lines. */
const TEXTAREA_MIN_LENGTH = 8192;
/** Names of arguments that are a file's content, whatever their limits. */
const CONTENT_NAMES = new Set(['content', 'body', 'text']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** "maxBytes" → "Max bytes", "expectedSha256" → "Expected sha256", "timeoutSeconds" → "Timeout seconds". */
export function labelFor(name: string): string {
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function stringRules(schema: Record<string, unknown>): StringRules {
  const rules: StringRules = {};
  const minLength = numberOf(schema.minLength);
  const maxLength = numberOf(schema.maxLength);
  const pattern = stringOf(schema.pattern);
  if (minLength !== undefined) rules.minLength = minLength;
  if (maxLength !== undefined) rules.maxLength = maxLength;
  if (pattern !== undefined) rules.pattern = pattern;
  return rules;
}

function fieldFor(name: string, schema: Record<string, unknown>, required: boolean): FormField {
  const base = {
    name,
    label: labelFor(name),
    required,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
  };
  const fallback = schema.default;
  switch (schema.type) {
    case 'string': {
      const rules = stringRules(schema);
      const long = CONTENT_NAMES.has(name) || (rules.maxLength ?? 0) > TEXTAREA_MIN_LENGTH;
      return { ...base, ...rules, kind: long ? 'textarea' : 'text', initial: stringOf(fallback) ?? '' };
    }
    case 'integer':
    case 'number': {
      const minimum = numberOf(schema.minimum);
      const maximum = numberOf(schema.maximum);
      return {
        ...base,
        kind: 'number',
        integer: schema.type === 'integer',
        ...(minimum !== undefined ? { minimum } : {}),
        ...(maximum !== undefined ? { maximum } : {}),
        initial: numberOf(fallback)?.toString() ?? '',
      };
    }
    case 'boolean':
      return { ...base, kind: 'checkbox', required: false, initial: fallback === true };
    case 'array': {
      const items = isRecord(schema.items) ? schema.items : {};
      if (items.type === 'string') {
        const minItems = numberOf(schema.minItems);
        const maxItems = numberOf(schema.maxItems);
        return {
          ...base,
          kind: 'list',
          item: stringRules(items),
          ...(minItems !== undefined ? { minItems } : {}),
          ...(maxItems !== undefined ? { maxItems } : {}),
          initial: Array.isArray(fallback) ? fallback.filter((entry) => typeof entry === 'string').join('\n') : '',
        };
      }
      break;
    }
  }
  // Anything else (objects, arrays of objects) is typed as JSON.
  return { ...base, kind: 'json', initial: fallback === undefined ? '' : JSON.stringify(fallback, null, 2) };
}

/** The form for an `args` schema: one field per property, in the schema's order. */
export function formFromSchema(schema: unknown): ToolForm {
  if (!isRecord(schema) || !isRecord(schema.properties)) return { fields: [] };
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [],
  );
  const fields = Object.entries(schema.properties).map(([name, property]) =>
    fieldFor(name, isRecord(property) ? property : {}, required.has(name)),
  );
  return { fields };
}

export function initialValues(form: ToolForm): FormValues {
  return Object.fromEntries(form.fields.map((field) => [field.name, field.initial]));
}

/** JSON Schema patterns are ECMAScript regular expressions; an unreadable one is left to the server. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    try {
      return new RegExp(pattern).test(value);
    } catch {
      return true;
    }
  }
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** The first broken rule of a string, in words; null when it keeps them all. */
function stringProblem(label: string, value: string, rules: StringRules): string | null {
  if (rules.minLength !== undefined && value.length < rules.minLength)
    return `${label} needs at least ${plural(rules.minLength, 'character')}.`;
  if (rules.maxLength !== undefined && value.length > rules.maxLength)
    return `${label} may have at most ${plural(rules.maxLength, 'character')} (it has ${value.length}).`;
  if (rules.pattern !== undefined && !matches(rules.pattern, value)) return `${label} does not have the expected form (${rules.pattern}).`;
  return null;
}

/** A comma- or newline-separated list, trimmed, without empty entries. */
export function listItems(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

type Checked = { value: unknown } | { error: string } | { omit: true };

function checkField(field: FormField, raw: string | boolean | undefined): Checked {
  if (field.kind === 'checkbox') return { value: raw === true };
  const text = typeof raw === 'string' ? raw : '';
  // Text is sent as typed (spaces may matter in a file); the other kinds ignore surrounding spaces.
  const empty = field.kind === 'text' || field.kind === 'textarea' ? text === '' : text.trim() === '';
  if (empty) return field.required ? { error: `${field.label} is required.` } : { omit: true };

  switch (field.kind) {
    case 'text':
    case 'textarea': {
      const problem = stringProblem(field.label, text, field);
      return problem ? { error: problem } : { value: text };
    }
    case 'number': {
      const number = Number(text.trim());
      if (!Number.isFinite(number)) return { error: `${field.label} must be a number.` };
      if (field.integer && !Number.isInteger(number)) return { error: `${field.label} must be a whole number.` };
      if (field.minimum !== undefined && number < field.minimum) {
        return {
          error:
            field.maximum !== undefined
              ? `${field.label} must be between ${field.minimum} and ${field.maximum}.`
              : `${field.label} must be at least ${field.minimum}.`,
        };
      }
      if (field.maximum !== undefined && number > field.maximum) {
        return {
          error:
            field.minimum !== undefined
              ? `${field.label} must be between ${field.minimum} and ${field.maximum}.`
              : `${field.label} must be at most ${field.maximum}.`,
        };
      }
      return { value: number };
    }
    case 'list': {
      const items = listItems(text);
      if (items.length === 0) return field.required ? { error: `${field.label} is required.` } : { omit: true };
      if (field.minItems !== undefined && items.length < field.minItems)
        return { error: `${field.label} needs at least ${plural(field.minItems, 'item')}.` };
      if (field.maxItems !== undefined && items.length > field.maxItems)
        return { error: `${field.label} may have at most ${plural(field.maxItems, 'item')} (it has ${items.length}).` };
      for (const item of items) {
        const problem = stringProblem(`“${item}”`, item, field.item ?? {});
        if (problem) return { error: `${field.label}: ${problem}` };
      }
      return { value: items };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: `${field.label} must be valid JSON.` };
      }
  }
}

export interface CheckedForm {
  /** The arguments to send; empty optional fields are left out (the server applies its defaults). */
  args: Record<string, unknown>;
  /** One message per field that is not right, by argument name. */
  errors: FormErrors;
}

export function checkForm(form: ToolForm, values: FormValues): CheckedForm {
  const args: Record<string, unknown> = {};
  const errors: FormErrors = {};
  for (const field of form.fields) {
    const checked = checkField(field, values[field.name]);
    if ('error' in checked) errors[field.name] = checked.error;
    else if ('value' in checked) args[field.name] = checked.value;
  }
  return { args, errors };
}

/** The server's rule for a justification: at least 20 characters and 3 words. */
export const JUSTIFICATION_MIN_LENGTH = 20;
export const JUSTIFICATION_MIN_WORDS = 3;
export const JUSTIFICATION_MAX_LENGTH = 2000;

export function justificationProblem(text: string, required: boolean): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return required ? 'A justification is required: say why this action is needed.' : null;
  // Words as the server counts them: runs of letters or digits, punctuation aside.
  const words = trimmed.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  if (trimmed.length < JUSTIFICATION_MIN_LENGTH || words < JUSTIFICATION_MIN_WORDS) {
    return `A justification needs at least ${JUSTIFICATION_MIN_LENGTH} characters and ${JUSTIFICATION_MIN_WORDS} words.`;
  }
  if (trimmed.length > JUSTIFICATION_MAX_LENGTH) return `A justification may have at most ${JUSTIFICATION_MAX_LENGTH} characters.`;
  return null;
}
