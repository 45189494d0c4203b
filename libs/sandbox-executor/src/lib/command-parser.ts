import { ErrorCode } from '@aegis/contracts';
import { parse } from 'shell-quote';
import { ExecutorException } from './executor.types';
import { findForbiddenSequence } from './forbidden-tokens';
import { errorMessage } from './error-message';

export const MAX_COMMAND_LENGTH = 16 * 1024;
export const MAX_ARGS = 256;
export const MAX_ARG_LENGTH = 8 * 1024;

/** Control, format (zero-width, bidi), surrogate, private-use and unassigned characters, and every separator but the ASCII space. */
const INVISIBLE_OR_CONTROL = /[\p{C}\p{Zl}\p{Zp}\u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;

/** ASCII characters that shells give a meaning; a non-ASCII character folding (NFKC) to one of them is a look-alike. */
const SHELL_PUNCTUATION = /[;&|$`<>()'"\\*?[\]{}#~!=\s]/;

function refuse(message: string): never {
  throw new ExecutorException(ErrorCode.CommandRefused, message);
}

function describe(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Refuses text that could carry shell syntax or hide what runs: the forbidden sequences of
 * docs/sandbox.md "Refusals", control and invisible characters (tabs and newlines included), and non-ASCII
 * look-alikes of shell punctuation such as the fullwidth semicolon `；` or `＄(`.
 */
export function checkCommandText(text: string, what: string): void {
  const sequence = findForbiddenSequence(text);
  if (sequence !== undefined) {
    refuse(
      `${what} contains ${JSON.stringify(sequence)}: commands run without a shell, so pipes, chaining, substitution and redirection are refused`,
    );
  }
  for (const character of text) {
    if (INVISIBLE_OR_CONTROL.test(character)) {
      refuse(`${what} contains the control or invisible character ${describe(character)}`);
    }
    if (character.charCodeAt(0) > 0x7f && SHELL_PUNCTUATION.test(character.normalize('NFKC'))) {
      refuse(`${what} contains ${describe(character)}, a look-alike of the shell character ${JSON.stringify(character.normalize('NFKC'))}`);
    }
  }
}

/** Validates argv given directly: a non-empty list of bounded strings, each passing checkCommandText. */
export function checkArgv(argv: readonly unknown[]): string[] {
  if (argv.length === 0) refuse('The command is empty');
  if (argv.length > MAX_ARGS) refuse(`The command has ${argv.length} arguments; at most ${MAX_ARGS} are allowed`);
  return argv.map((arg, index) => {
    if (typeof arg !== 'string') refuse(`Argument ${index} is not a string`);
    if (arg.length > MAX_ARG_LENGTH) refuse(`Argument ${index} is longer than ${MAX_ARG_LENGTH} characters`);
    checkCommandText(arg, index === 0 ? 'The program name' : `Argument ${index}`);
    return arg;
  });
}

/** Refuses what a shell would refuse and shell-quote silently repairs (an open quote, a trailing backslash), and ANSI-C quoting. */
function checkQuotesClosed(command: string): void {
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const character = command[i];
    if (quote === "'") {
      if (character === "'") quote = undefined;
    } else if (character === '\\') {
      if (i === command.length - 1) refuse('The command ends with a backslash');
      i++;
    } else if (character === '$' && command[i + 1] === "'") {
      refuse("ANSI-C quoting ($'…') is refused: write the characters themselves");
    } else if (character === quote) {
      quote = undefined;
    } else if (!quote && (character === "'" || character === '"')) {
      quote = character;
    }
  }
  if (quote) refuse(`The command has an unterminated ${quote === '"' ? 'double' : 'single'} quote`);
}

/**
 * Splits a command string into argv the way a shell would quote it, but without a shell: any
 * operator, glob, comment or variable in the parse is refused, never interpreted.
 */
export function parseCommand(command: string): string[] {
  if (command.length > MAX_COMMAND_LENGTH) refuse(`The command is longer than ${MAX_COMMAND_LENGTH} characters`);
  checkCommandText(command, 'The command');
  checkQuotesClosed(command);
  let entries: ReturnType<typeof parse<{ variable: string }>>;
  try {
    entries = parse(command, (name: string) => ({ variable: name }));
  } catch (error) {
    refuse(`The command cannot be parsed: ${errorMessage(error)}`);
  }
  const argv = entries.map((entry): string => {
    if (typeof entry === 'string') return entry;
    if ('variable' in entry) refuse(`Variables are not expanded ($${entry.variable}): pass the value itself`);
    if ('comment' in entry) refuse('Comments (#) are refused in a command');
    if (entry.op === 'glob')
      refuse(`Globs are not expanded (${entry.pattern}): name the files, or quote the pattern for a program such as find`);
    return refuse(`The shell operator ${JSON.stringify(entry.op)} is refused: commands run without a shell`);
  });
  return checkArgv(argv);
}
