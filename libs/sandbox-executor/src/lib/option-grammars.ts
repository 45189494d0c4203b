import type { LongArity, OptionGrammar } from './option-parser';

// The option tables of the writing programs, for both implementations the sandboxes run: GNU
// coreutils/tar/gzip/file on bwrap, busybox applets in the Docker image (command-effects.spec.ts
// checks them against the installed `--help`).

const long = (arity: LongArity, ...names: string[]) => Object.fromEntries(names.map((name) => [name, arity] as const));
const COMMON_LONG = long('none', 'help', 'version');

export const SORT: OptionGrammar = {
  flags: 'bcCdfghiMmnRrsuVz',
  valued: 'koStT',
  long: {
    ...COMMON_LONG,
    ...long('none', 'ignore-leading-blanks', 'dictionary-order', 'ignore-case', 'general-numeric-sort', 'ignore-nonprinting', 'month-sort'),
    ...long('none', 'human-numeric-sort', 'numeric-sort', 'random-sort', 'reverse', 'version-sort', 'merge', 'stable', 'unique'),
    ...long('none', 'zero-terminated', 'debug'),
    ...long('required', 'random-source', 'sort', 'batch-size', 'compress-program', 'files0-from', 'key', 'output', 'buffer-size'),
    ...long('required', 'field-separator', 'temporary-directory', 'parallel'),
    check: 'optional',
  },
};

export const UNIQ: OptionGrammar = {
  flags: 'cdDiuz',
  valued: 'fsw',
  digits: true,
  long: {
    ...COMMON_LONG,
    ...long('none', 'count', 'repeated', 'ignore-case', 'unique', 'zero-terminated'),
    ...long('optional', 'all-repeated', 'group'),
    ...long('required', 'skip-fields', 'skip-chars', 'check-chars'),
  },
};

export const FILE: OptionGrammar = {
  flags: 'bcCdEhiklLnNprsSvzZ0',
  valued: 'efFmP',
  long: {
    ...COMMON_LONG,
    ...long('none', 'apple', 'brief', 'checking-printout', 'compile', 'debug', 'extension', 'mime', 'mime-type', 'mime-encoding'),
    ...long('none', 'keep-going', 'list', 'dereference', 'no-dereference', 'no-buffer', 'no-pad', 'print0', 'preserve-date', 'raw'),
    ...long('none', 'special-files', 'no-sandbox', 'uncompress', 'uncompress-noreport'),
    ...long('required', 'exclude', 'exclude-quiet', 'files-from', 'separator', 'magic-file', 'parameter'),
  },
};

export const DATE: OptionGrammar = {
  flags: 'uR',
  valued: 'dfrsD',
  optionalValue: 'I',
  long: {
    ...COMMON_LONG,
    ...long('none', 'debug', 'rfc-email', 'rfc-2822', 'utc', 'universal', 'resolution'),
    ...long('required', 'date', 'file', 'rfc-3339', 'reference', 'set'),
    'iso-8601': 'optional',
  },
};

export const MKDIR: OptionGrammar = {
  flags: 'pvZ',
  valued: 'm',
  long: { ...COMMON_LONG, mode: 'required', parents: 'none', verbose: 'none', context: 'optional' },
};

export const TOUCH: OptionGrammar = {
  flags: 'acfhm',
  valued: 'drt',
  long: { ...COMMON_LONG, ...long('none', 'no-create', 'no-dereference'), ...long('required', 'date', 'reference', 'time') },
};

export const CP: OptionGrammar = {
  flags: 'abdfHilLnPpRrsTuvxZ',
  valued: 'St',
  long: {
    ...COMMON_LONG,
    ...long('none', 'archive', 'attributes-only', 'copy-contents', 'debug', 'force', 'interactive', 'link', 'dereference', 'no-clobber'),
    ...long('none', 'no-dereference', 'parents', 'recursive', 'remove-destination', 'strip-trailing-slashes', 'symbolic-link'),
    ...long('none', 'no-target-directory', 'verbose', 'one-file-system', 'keep-directory-symlink'),
    ...long('optional', 'backup', 'preserve', 'reflink', 'update', 'context'),
    ...long('required', 'no-preserve', 'sparse', 'suffix', 'target-directory'),
  },
};

export const MV: OptionGrammar = {
  flags: 'bfinTuvZ',
  valued: 'St',
  long: {
    ...COMMON_LONG,
    ...long('none', 'exchange', 'force', 'interactive', 'no-clobber', 'no-copy', 'strip-trailing-slashes', 'no-target-directory'),
    ...long('none', 'verbose', 'debug', 'context'),
    ...long('optional', 'backup', 'update'),
    ...long('required', 'suffix', 'target-directory'),
  },
};

export const GZIP: OptionGrammar = {
  flags: 'acdfhklLnNqrtvV',
  valued: 'S',
  digits: true,
  long: {
    ...COMMON_LONG,
    ...long('none', 'ascii', 'stdout', 'to-stdout', 'decompress', 'uncompress', 'force', 'keep', 'list', 'license', 'no-name', 'name'),
    ...long('none', 'quiet', 'recursive', 'rsyncable', 'synchronous', 'test', 'verbose', 'fast', 'best'),
    suffix: 'required',
  },
};

// GNU tar 1.34 (`tar --help`) and busybox tar. -F, -I and the option names the allowlist refuses are
// here so that they parse; PROGRAM_RULES refuses them before anything runs.
export const TAR: OptionGrammar = {
  flags: 'AcdrtuxGnSkUWOmpsMBiajJzZhPlRvwo',
  valued: 'gCTXfFLbHVIKN',
  long: {
    ...COMMON_LONG,
    ...long('none', 'catenate', 'concatenate', 'create', 'delete', 'diff', 'compare', 'append', 'test-label', 'list', 'update'),
    ...long('none', 'extract', 'get', 'check-device', 'incremental', 'ignore-failed-read', 'no-check-device', 'no-seek', 'seek', 'sparse'),
    ...long(
      'none',
      'exclude-backups',
      'exclude-caches',
      'exclude-caches-all',
      'exclude-caches-under',
      'exclude-vcs',
      'exclude-vcs-ignores',
    ),
    ...long(
      'none',
      'no-null',
      'no-recursion',
      'no-unquote',
      'no-verbatim-files-from',
      'null',
      'verbatim-files-from',
      'recursion',
      'unquote',
    ),
    ...long('none', 'anchored', 'ignore-case', 'no-anchored', 'no-ignore-case', 'no-wildcards', 'no-wildcards-match-slash', 'wildcards'),
    ...long(
      'none',
      'wildcards-match-slash',
      'keep-directory-symlink',
      'keep-newer-files',
      'keep-old-files',
      'no-overwrite-dir',
      'overwrite',
    ),
    ...long(
      'none',
      'overwrite-dir',
      'recursive-unlink',
      'remove-files',
      'skip-old-files',
      'unlink-first',
      'verify',
      'ignore-command-error',
    ),
    ...long(
      'none',
      'no-ignore-command-error',
      'to-stdout',
      'clamp-mtime',
      'delay-directory-restore',
      'touch',
      'no-delay-directory-restore',
    ),
    ...long('none', 'no-same-owner', 'no-same-permissions', 'numeric-owner', 'preserve-permissions', 'same-permissions', 'same-owner'),
    ...long('none', 'preserve-order', 'same-order', 'preserve', 'acls', 'no-acls', 'no-selinux', 'no-xattrs', 'selinux', 'xattrs'),
    ...long('none', 'force-local', 'multi-volume', 'read-full-records', 'ignore-zeros', 'old-archive', 'portability', 'posix'),
    ...long('none', 'auto-compress', 'bzip2', 'xz', 'lzip', 'lzma', 'lzop', 'no-auto-compress', 'zstd', 'gzip', 'gunzip', 'ungzip'),
    ...long('none', 'compress', 'uncompress', 'hard-dereference', 'dereference', 'one-file-system', 'absolute-names', 'full-time'),
    ...long('none', 'check-links', 'block-number', 'show-defaults', 'show-omitted-dirs', 'show-snapshot-field-ranges'),
    ...long('none', 'show-transformed-names', 'show-stored-names', 'utc', 'verbose', 'interactive', 'confirmation', 'restrict', 'usage'),
    ...long('optional', 'occurrence', 'one-top-level', 'atime-preserve', 'backup', 'checkpoint', 'totals'),
    ...long('required', 'listed-incremental', 'hole-detection', 'level', 'sparse-version', 'add-file', 'directory', 'exclude'),
    ...long('required', 'exclude-ignore', 'exclude-ignore-recursive', 'exclude-tag', 'exclude-tag-all', 'exclude-tag-under', 'files-from'),
    ...long('required', 'exclude-from', 'to-command', 'group', 'group-map', 'mode', 'mtime', 'owner', 'owner-map', 'sort'),
    ...long('required', 'xattrs-exclude', 'xattrs-include', 'file', 'info-script', 'new-volume-script', 'tape-length', 'rmt-command'),
    ...long('required', 'rsh-command', 'volno-file', 'blocking-factor', 'record-size', 'format', 'pax-option', 'label'),
    ...long('required', 'use-compress-program', 'starting-file', 'newer-mtime', 'newer', 'after-date', 'suffix', 'strip-components'),
    ...long(
      'required',
      'transform',
      'xform',
      'checkpoint-action',
      'index-file',
      'no-quote-chars',
      'quote-chars',
      'quoting-style',
      'warning',
    ),
  },
};

/** The option tables of the writing programs whose operands and values are told apart (checked against `--help` in the spec). */
export const OPTION_GRAMMARS: Readonly<Record<string, OptionGrammar>> = {
  sort: SORT,
  uniq: UNIQ,
  file: FILE,
  date: DATE,
  mkdir: MKDIR,
  touch: TOUCH,
  cp: CP,
  mv: MV,
  gzip: GZIP,
  gunzip: GZIP,
  tar: TAR,
};
