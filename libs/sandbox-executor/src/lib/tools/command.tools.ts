import { ActionClass, Role } from '@aegis/contracts';
import { z } from 'zod';
import { defineTool, locate, workspacePathArg } from './tool-support';

export const executeCommandTool = defineTool({
  name: 'execute_command',
  description:
    "Runs one command (argv; no shell: pipes, redirections, ';', '&&' and '$(' are refused) in the sandbox with the caller's " +
    'role allowlist. Anything the catalogue does not cover; needs an admin approval.',
  actionClass: ActionClass.Critical,
  minRole: Role.Operator,
  argsSchema: z.strictObject({
    command: z.string().min(1).max(8192).describe('The command line, split into argv without a shell'),
    cwd: workspacePathArg.optional().describe('Working directory relative to the workspace'),
  }),
  async run(args, context) {
    const cwd = args.cwd === undefined ? undefined : locate(context, args.cwd).relative;
    const result = await context.runner.execute({
      command: args.command,
      role: context.role,
      cwd,
      signal: context.signal,
      justification: context.justification,
    });
    const verified = result.exitCode === 0 && !result.timedOut;
    const detail = result.timedOut ? 'the command timed out' : `the command exited with ${result.exitCode}`;
    // The command's own exit status is the only check that fits every command.
    return { output: result, verification: { verified, detail } };
  },
});
