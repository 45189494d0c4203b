// A writing program's arguments split the way its own getopt_long would split them, so that the
// effects (command-effects.ts) can tell operands from option values.

export type LongArity = 'none' | 'required' | 'optional';

/** The options of one program: what takes a value, so that operands can be told from option values. */
export interface OptionGrammar {
  /** Short options without a value. */
  flags: string;
  /** Short options with a value, attached (`-ofile`) or in the next argument. */
  valued: string;
  /** Short options whose value is optional and only attached (`date -Iseconds`). */
  optionalValue?: string;
  /** `-1` … `-9` and other digits are options (gzip levels, uniq's obsolete -N). */
  digits?: boolean;
  /** Long options (also accepted as unique abbreviations, as getopt_long does). */
  long: Readonly<Record<string, LongArity>>;
}

interface ParsedOption {
  /** `-o` for a short option, `--output` (the full name) for a long one. */
  name: string;
  value?: string;
}

export interface ParsedArguments {
  options: ParsedOption[];
  operands: string[];
  /** Arguments that are options the grammar does not know. */
  unknown: string[];
}

function longName(grammar: OptionGrammar, written: string): string | undefined {
  if (Object.hasOwn(grammar.long, written)) return written;
  const candidates = Object.keys(grammar.long).filter((name) => name.startsWith(written));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Splits arguments as getopt_long does (options anywhere, `--` ends them, `-` is an operand). */
export function parseArguments(args: readonly string[], grammar: OptionGrammar, firstIsCluster = false): ParsedArguments {
  const parsed: ParsedArguments = { options: [], operands: [], unknown: [] };
  const pending: string[] = [];
  let index = 0;
  const takeValue = (): string | undefined => (index < args.length ? args[index++] : undefined);
  if (firstIsCluster && args.length > 0 && !args[0].startsWith('-')) {
    // tar's old style: `cvf out.tar src` — each letter an option, valued letters take the next arguments in order.
    index = 1;
    for (const letter of args[0]) {
      if (grammar.valued.includes(letter)) pending.push(letter);
      else if (grammar.flags.includes(letter)) parsed.options.push({ name: `-${letter}` });
      else parsed.unknown.push(`-${letter}`);
    }
    for (const letter of pending) parsed.options.push({ name: `-${letter}`, value: takeValue() });
  }
  while (index < args.length) {
    const arg = args[index++];
    if (arg === '--') {
      parsed.operands.push(...args.slice(index));
      break;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const written = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      const name = longName(grammar, written);
      if (name === undefined) {
        parsed.unknown.push(arg);
        continue;
      }
      const arity = grammar.long[name];
      if (equals !== -1) {
        if (arity === 'none') parsed.unknown.push(arg);
        parsed.options.push({ name: `--${name}`, value: arg.slice(equals + 1) });
      } else {
        parsed.options.push({ name: `--${name}`, value: arity === 'required' ? takeValue() : undefined });
      }
      continue;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      parsed.operands.push(arg);
      continue;
    }
    for (let position = 1; position < arg.length; position++) {
      const letter = arg[position];
      const rest = arg.slice(position + 1);
      if (grammar.valued.includes(letter)) {
        parsed.options.push({ name: `-${letter}`, value: rest !== '' ? rest : takeValue() });
        break;
      }
      if (grammar.optionalValue?.includes(letter)) {
        parsed.options.push({ name: `-${letter}`, value: rest });
        break;
      }
      if (grammar.flags.includes(letter) || (grammar.digits && /[0-9]/.test(letter))) parsed.options.push({ name: `-${letter}` });
      else parsed.unknown.push(`-${letter}`);
    }
  }
  return parsed;
}

export const has = (parsed: ParsedArguments, ...names: string[]) => parsed.options.some((option) => names.includes(option.name));
export const valuesOf = (parsed: ParsedArguments, ...names: string[]) =>
  parsed.options.filter((option) => names.includes(option.name) && option.value !== undefined).map((option) => option.value as string);
export const lastValue = (parsed: ParsedArguments, ...names: string[]) => valuesOf(parsed, ...names).at(-1);

export function unknownOptions(program: string, parsed: ParsedArguments): string | undefined {
  if (parsed.unknown.length === 0) return undefined;
  return `${program} ${parsed.unknown.join(' ')}: what this option writes is not known here`;
}
