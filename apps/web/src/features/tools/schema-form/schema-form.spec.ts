import { describe, expect, it } from 'vitest';
import catalogue from './tool-catalog.fixture.json';
import {
  checkForm,
  formFromSchema,
  initialValues,
  justificationProblem,
  labelFor,
  listItems,
  type FieldKind,
  type ToolForm,
} from './schema-form';

/** The answer of GET /api/tools from the built server (admin), captured into the fixture. */
const tools = catalogue.items;

function formOf(name: string): ToolForm {
  const tool = tools.find((item) => item.name === name);
  if (!tool) throw new Error(`no ${name} in the fixture`);
  return formFromSchema(tool.argsSchema);
}

/** Every tool's expected form: each argument's control, whether it is required, and what it starts with. */
const EXPECTED: Record<string, [name: string, kind: FieldKind, required: boolean, initial: string | boolean][]> = {
  list_directory: [['path', 'text', false, '.']],
  read_file: [
    ['path', 'text', true, ''],
    ['maxBytes', 'number', false, '65536'],
  ],
  search_files: [
    ['path', 'text', false, '.'],
    ['pattern', 'text', true, ''],
    ['maxResults', 'number', false, '100'],
    ['ignoreCase', 'checkbox', false, false],
  ],
  disk_usage: [['path', 'text', false, '.']],
  system_info: [],
  network_listeners: [],
  git_status: [['repo', 'text', true, '']],
  docker_list: [],
  git_log: [
    ['repo', 'text', true, ''],
    ['limit', 'number', false, '20'],
  ],
  git_diff: [
    ['repo', 'text', true, ''],
    ['staged', 'checkbox', false, false],
  ],
  docker_logs: [
    ['container', 'text', true, ''],
    ['tail', 'number', false, '100'],
    ['timestamps', 'checkbox', false, false],
    ['since', 'number', false, ''],
  ],
  systemd_status: [['unit', 'text', true, '']],
  systemd_logs: [
    ['unit', 'text', true, ''],
    ['lines', 'number', false, '100'],
  ],
  git_pull: [['repo', 'text', true, '']],
  docker_restart: [
    ['container', 'text', true, ''],
    ['timeoutSeconds', 'number', false, '10'],
  ],
  systemd_restart: [['unit', 'text', true, '']],
  write_file: [
    ['path', 'text', true, ''],
    ['content', 'textarea', true, ''],
    ['expectedSha256', 'text', false, ''],
  ],
  apt_update: [],
  apt_install: [['packages', 'list', true, '']],
  execute_command: [
    ['command', 'text', true, ''],
    ['cwd', 'text', false, ''],
  ],
};

describe('formFromSchema over every tool of GET /api/tools', () => {
  it('covers exactly the tools the server lists', () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(tools.map((tool) => [tool.name, tool] as const))('%s: one control per argument, in the schema order', (name, tool) => {
    const form = formFromSchema(tool.argsSchema);
    expect(form.fields.map((field) => [field.name, field.kind, field.required, field.initial])).toEqual(EXPECTED[name]);
    // Every argument the schema names is in the form (nothing silently dropped).
    expect(form.fields.map((field) => field.name)).toEqual(Object.keys(tool.argsSchema.properties));
  });

  it.each(tools.map((tool) => [tool.name, tool] as const))(
    '%s: its defaults pass the checks, and only missing required fields are reported',
    (_name, tool) => {
      const form = formFromSchema(tool.argsSchema);
      const { errors } = checkForm(form, initialValues(form));
      const required = form.fields.filter((field) => field.required && field.initial === '').map((field) => field.name);
      expect(Object.keys(errors).sort()).toEqual(required.sort());
      for (const name of required) expect(errors[name]).toMatch(/ is required\.$/);
    },
  );

  it('carries the limits into the form', () => {
    const [path, maxBytes] = formOf('read_file').fields;
    expect(path).toMatchObject({ label: 'Path', minLength: 1, maxLength: 4096, description: 'File relative to the workspace' });
    expect(maxBytes).toMatchObject({ label: 'Max bytes', integer: true, minimum: 1, maximum: 1048576 });
    expect(formOf('apt_install').fields[0]).toMatchObject({
      minItems: 1,
      maxItems: 20,
      item: { maxLength: 128, pattern: '^[a-z0-9][a-z0-9+.-]*[a-z0-9+.]$' },
    });
    expect(formOf('write_file').fields[2]).toMatchObject({
      pattern: '^[0-9a-f]{64}$',
      description: 'Refuse unless the file now has this hash',
    });
  });
});

describe('checkForm', () => {
  it('sends what was typed, with numbers as numbers and empty optional fields left out', () => {
    const form = formOf('docker_logs');
    expect(checkForm(form, { container: 'web-1', tail: '50', timestamps: true, since: '' })).toEqual({
      args: { container: 'web-1', tail: 50, timestamps: true },
      errors: {},
    });
  });

  it('keeps a file content exactly, spaces and newlines included', () => {
    const form = formOf('write_file');
    const content = '  indented\nsecond line\n';
    expect(checkForm(form, { path: 'notes.txt', content, expectedSha256: '' }).args).toEqual({ path: 'notes.txt', content });
  });

  it('checks lengths and patterns of strings', () => {
    expect(checkForm(formOf('write_file'), { path: 'a', content: 'x', expectedSha256: 'abc' }).errors).toEqual({
      expectedSha256: 'Expected sha256 does not have the expected form (^[0-9a-f]{64}$).',
    });
    expect(checkForm(formOf('read_file'), { path: 'x'.repeat(4097), maxBytes: '' }).errors).toEqual({
      path: 'Path may have at most 4096 characters (it has 4097).',
    });
    expect(checkForm(formOf('docker_logs'), { container: '-bad name', tail: '', since: '' }).errors.container).toMatch(
      /^Container does not have the expected form/,
    );
    // The systemd pattern has escapes that need the u flag's rules; a good unit passes.
    expect(checkForm(formOf('systemd_status'), { unit: 'nginx.service' }).errors).toEqual({});
    expect(checkForm(formOf('systemd_status'), { unit: '-nginx' }).errors.unit).toMatch(/expected form/);
  });

  it('checks whole numbers and their range', () => {
    const form = formOf('read_file');
    expect(checkForm(form, { path: 'a', maxBytes: '1.5' }).errors).toEqual({ maxBytes: 'Max bytes must be a whole number.' });
    expect(checkForm(form, { path: 'a', maxBytes: '0' }).errors).toEqual({ maxBytes: 'Max bytes must be between 1 and 1048576.' });
    expect(checkForm(form, { path: 'a', maxBytes: 'many' }).errors).toEqual({ maxBytes: 'Max bytes must be a number.' });
    expect(checkForm(formOf('docker_logs'), { container: 'web', since: '-1' }).errors).toEqual({
      since: 'Since must be between 0 and 9007199254740991.',
    });
  });

  it('reads a list from commas or lines and checks each item', () => {
    const form = formOf('apt_install');
    expect(checkForm(form, { packages: 'curl, jq\nhtop\n' })).toEqual({ args: { packages: ['curl', 'jq', 'htop'] }, errors: {} });
    expect(checkForm(form, { packages: ' , ' }).errors).toEqual({ packages: 'Packages is required.' });
    expect(checkForm(form, { packages: 'curl, Bad_Name' }).errors.packages).toBe(
      'Packages: “Bad_Name” does not have the expected form (^[a-z0-9][a-z0-9+.-]*[a-z0-9+.]$).',
    );
    expect(checkForm(form, { packages: Array.from({ length: 21 }, (_, index) => `p${index}`).join(',') }).errors).toEqual({
      packages: 'Packages may have at most 20 items (it has 21).',
    });
  });

  it('takes anything it cannot draw as JSON', () => {
    const form = formFromSchema({ type: 'object', properties: { env: { type: 'object' } }, required: ['env'] });
    expect(form.fields[0]?.kind).toBe('json');
    expect(checkForm(form, { env: '{"A": "1"}' }).args).toEqual({ env: { A: '1' } });
    expect(checkForm(form, { env: '{' }).errors).toEqual({ env: 'Env must be valid JSON.' });
  });

  it('makes no form from something that is not an object schema', () => {
    expect(formFromSchema(null)).toEqual({ fields: [] });
    expect(formFromSchema({ type: 'object' })).toEqual({ fields: [] });
  });
});

describe('words and helpers', () => {
  it('labels camelCase and snake_case names in words', () => {
    expect(labelFor('maxBytes')).toBe('Max bytes');
    expect(labelFor('expectedSha256')).toBe('Expected sha256');
    expect(labelFor('dry_run')).toBe('Dry run');
  });

  it('splits lists on commas and newlines', () => {
    expect(listItems('a,b\n\n c ,')).toEqual(['a', 'b', 'c']);
  });

  it('asks for a justification the way the server does', () => {
    expect(justificationProblem('', true)).toBe('A justification is required: say why this action is needed.');
    expect(justificationProblem('', false)).toBeNull();
    expect(justificationProblem('fix it now', true)).toMatch(/at least 20 characters and 3 words/);
    expect(justificationProblem('!!!!!!!!!!!!!!!!!!!!!!!! ok go', true)).toMatch(/3 words/);
    expect(justificationProblem('Restore the config after the failed deploy', true)).toBeNull();
  });
});
