import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass, Role } from '@aegis/contracts';
import { z } from 'zod';
import type { ExecutionRequest, ExecutionResult } from '../executor.types';
import { createHostSystem } from './host-system';
import { CAPABILITY_TOOLS, createToolCatalog, ToolCatalog } from './tool-catalog';
import { defineTool } from './tool-support';
import type { CommandRunner } from './tool.types';

/** A runner that records requests and fails the test if a refused call ever reaches it. */
function refusingRunner(): CommandRunner & { calls: ExecutionRequest[] } {
  const calls: ExecutionRequest[] = [];
  return {
    calls,
    execute(request: ExecutionRequest): Promise<ExecutionResult> {
      calls.push(request);
      return Promise.reject(new Error(`the runner was called with ${JSON.stringify(request.argv ?? request.command)}`));
    },
  };
}

describe('ToolCatalog', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-catalog-'));
  mkdirSync(join(workspace, 'repo'));
  const runner = refusingRunner();
  const catalog = createToolCatalog({
    workspaceDir: workspace,
    runner,
    containerAllowlist: ['web'],
    systemdUnitAllowlist: ['nginx.service'],
    aptEnabled: false,
  });

  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  afterEach(() => expect(runner.calls.splice(0)).toEqual([]));

  it('lists every tool of the catalogue with its class, minimum role and a JSON schema of its arguments', () => {
    const listed = catalog.list();
    expect(listed.map((tool) => [tool.name, tool.actionClass, tool.minRole])).toEqual([
      ['list_directory', ActionClass.Read, Role.Viewer],
      ['read_file', ActionClass.Read, Role.Viewer],
      ['search_files', ActionClass.Read, Role.Viewer],
      ['disk_usage', ActionClass.Read, Role.Viewer],
      ['system_info', ActionClass.Read, Role.Viewer],
      ['network_listeners', ActionClass.Read, Role.Viewer],
      ['git_status', ActionClass.Read, Role.Viewer],
      ['docker_list', ActionClass.Read, Role.Operator],
      ['git_log', ActionClass.Safe, Role.Viewer],
      ['git_diff', ActionClass.Safe, Role.Viewer],
      ['docker_logs', ActionClass.Safe, Role.Operator],
      ['systemd_status', ActionClass.Safe, Role.Viewer],
      ['systemd_logs', ActionClass.Safe, Role.Operator],
      ['git_pull', ActionClass.Moderate, Role.Operator],
      ['docker_restart', ActionClass.Moderate, Role.Operator],
      ['systemd_restart', ActionClass.Moderate, Role.Operator],
      ['write_file', ActionClass.Sensitive, Role.Admin],
      ['apt_update', ActionClass.Sensitive, Role.Admin],
      ['apt_install', ActionClass.Critical, Role.Admin],
      ['execute_command', ActionClass.Critical, Role.Operator],
    ]);
    for (const tool of listed) {
      expect(tool.description.length).toBeGreaterThan(20);
      expect(tool.argsSchema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        additionalProperties: false,
      });
    }
    expect(JSON.parse(JSON.stringify(listed))).toEqual(listed);
  });

  it('describes arguments as the caller sends them: defaults optional, limits and patterns kept', () => {
    const byName = new Map(catalog.list().map((tool) => [tool.name, tool.argsSchema]));
    expect(byName.get('read_file')).toMatchObject({
      required: ['path'],
      properties: { path: { type: 'string', minLength: 1 }, maxBytes: { type: 'integer', minimum: 1, maximum: 1048576, default: 65536 } },
    });
    expect(byName.get('apt_install')).toMatchObject({
      required: ['packages'],
      properties: {
        packages: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9+.-]*[a-z0-9+.]$' } },
      },
    });
    expect(byName.get('git_log')).toMatchObject({ required: ['repo'], properties: { limit: { default: 20, maximum: 200 } } });
    expect(byName.get('system_info')).toMatchObject({ properties: {} });
  });

  it('answers NOT_FOUND for an unknown tool', async () => {
    await expect(catalog.run('rm_rf', {}, { role: Role.Admin })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: "There is no tool named 'rm_rf'",
    });
  });

  it.each([
    ['write_file', Role.Operator, 'admin'],
    ['apt_install', Role.Operator, 'admin'],
    ['docker_restart', Role.Viewer, 'operator'],
    ['execute_command', Role.Viewer, 'operator'],
    ['docker_list', Role.Viewer, 'operator'],
  ])('refuses %s to a %s (FORBIDDEN) before looking at the arguments', async (name, role, needed) => {
    await expect(catalog.run(name, { nonsense: true }, { role })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `'${name}' needs the ${needed} role or higher`,
    });
  });

  it('reports every invalid argument, one line each (VALIDATION_FAILED)', async () => {
    await expect(catalog.run('read_file', { path: '', maxBytes: 0, extra: 1 }, { role: Role.Viewer })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: "Invalid arguments for 'read_file'",
      details: [
        expect.stringMatching(/^path: /) as string,
        expect.stringMatching(/^maxBytes: /) as string,
        expect.stringMatching(/extra/) as string,
      ],
    });
    await expect(catalog.run('read_file', 'etc/passwd', { role: Role.Viewer })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(catalog.run('list_directory', undefined, { role: Role.Viewer })).resolves.toMatchObject({ output: { path: '.' } });
  });

  it.each([
    ['git_status', { repo: '--upload-pack=touch /tmp/pwned' }, "repo: must not start with '-'"],
    ['git_pull', { repo: '-c' }, "repo: must not start with '-'"],
    ['git_log', { repo: 'repo', limit: '5; rm -rf /' }, 'limit: '],
    ['git_log', { repo: 'repo', limit: 1000 }, 'limit: '],
    ['list_directory', { path: '-la' }, "path: must not start with '-'"],
    ['read_file', { path: 'a\0b' }, 'path: must not contain a NUL byte'],
    ['apt_install', { packages: ['foo;rm'] }, 'packages.0: must be a plain Debian package name'],
    ['apt_install', { packages: ['-o', 'APT::Get::AllowUnauthenticated=1'] }, 'packages.0: must be a plain Debian package name'],
    ['apt_install', { packages: ['bash-'] }, 'packages.0: must be a plain Debian package name'],
    ['apt_install', { packages: ['curl', 'curl'] }, 'packages: must not repeat a package'],
    ['apt_install', { packages: [] }, 'packages: '],
    ['apt_install', { packages: ['Foo'] }, 'packages.0: '],
    ['docker_logs', { container: '--all' }, 'container: must be a container name or id'],
    ['docker_restart', { container: 'web; reboot' }, 'container: must be a container name or id'],
    ['systemd_restart', { unit: '--force' }, 'unit: must be a systemd unit name'],
    ['systemd_logs', { unit: 'nginx.service', lines: -1 }, 'lines: '],
    ['write_file', { path: 'x', content: 'y', expectedSha256: 'abc' }, 'expectedSha256: must be a lowercase hex SHA-256'],
    ['search_files', { pattern: 'x'.repeat(201) }, 'pattern: '],
    ['execute_command', { command: '' }, 'command: '],
  ])('refuses %s %j before anything runs', async (name, args, line) => {
    const error: unknown = await catalog.run(name, args, { role: Role.Admin }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((error as { details: string[] }).details.some((detail) => detail.startsWith(line))).toBe(true);
  });

  it('stops before running when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await expect(catalog.run('list_directory', {}, { role: Role.Viewer, signal: controller.signal })).rejects.toThrow(
      'cancelled by the user',
    );
  });

  it('refuses two tools with one name', () => {
    const environment = { workspaceDir: workspace, runner, systemdUnits: [], host: createHostSystem({ aptEnabled: false }) };
    expect(() => new ToolCatalog(environment, [CAPABILITY_TOOLS[0], CAPABILITY_TOOLS[0]])).toThrow("Two tools are named 'list_directory'");
  });

  it('gives a tool the environment with the caller’s role, signal and justification', async () => {
    const seen: unknown[] = [];
    const probe = defineTool({
      name: 'probe',
      description: 'Returns what it was given, for this test.',
      actionClass: ActionClass.Read,
      minRole: Role.Viewer,
      argsSchema: z.strictObject({ n: z.number().default(1) }),
      run(args, context) {
        seen.push(args, context.role, context.justification, context.workspaceDir, context.systemdUnits);
        return Promise.resolve({ output: args.n * 2 });
      },
    });
    const environment = { workspaceDir: workspace, runner, systemdUnits: ['a.service'], host: createHostSystem({ aptEnabled: false }) };
    const own = new ToolCatalog(environment, [probe]);
    await expect(own.run('probe', {}, { role: Role.Operator, justification: 'because' })).resolves.toEqual({ output: 2 });
    expect(seen).toEqual([{ n: 1 }, Role.Operator, 'because', workspace, ['a.service']]);
  });
});
