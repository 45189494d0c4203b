import { ActionClass, type Role } from '@aegis/contracts';
import {
  authorizeArgv,
  type CapabilityTool,
  describeIssues,
  type ToolCatalog,
  type ToolDescriptor,
  type ToolOutcome,
} from '@aegis/sandbox-executor';
import { z } from 'zod';
import { classifyCommand } from '../classification/command-classification';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import type { Caller } from '../governance.types';
import { mostSevere } from '../severity';

/** What a contributed tool is told when governance runs it: who asked, and how to stop. */
export interface ContributedToolContext {
  caller: Caller;
  signal?: AbortSignal;
}

/**
 * A tool contributed to the registry from outside the executor's catalogue (the agent's memory
 * tools, docs/governance.md "Contributed tools"): the catalogue's description (zod arguments, class,
 * minimum role, content fields), run only by the registry after policy and with the audit. It acts
 * on Aegis's own data of the caller, never on the host, so its class is READ or SAFE.
 */
export interface ContributedTool<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly actionClass: ActionClass.Read | ActionClass.Safe;
  readonly minRole: Role;
  readonly argsSchema: Schema;
  /** Argument fields that hold content: the audit keeps their sha256 and size, never the text. */
  readonly contentFields?: readonly string[];
  run(args: z.output<Schema>, context: ContributedToolContext): Promise<{ output: unknown }>;
}

/** A tool as the registry holds it: its description, and the one governed way to run it. */
export interface GovernedTool {
  descriptor: ToolDescriptor;
  minRole: Role;
  /** Argument fields the audit keeps as sha256 and size only. */
  contentFields: readonly string[];
  /** The effective class of one call (execute_command: its program's); throws the executor's refusal for a command that could never run. */
  classify(args: Record<string, unknown>, caller: Caller): ActionClass;
  validate(args: Record<string, unknown>): string[];
  /** The tool's handler: reached only from the registry's governed run (tool-performer.ts). */
  run(args: Record<string, unknown>, caller: Caller, justification: string | undefined): Promise<ToolOutcome>;
}

/** An operator may raise a tool's class (GOVERNANCE_RAISE_CLASSES), never lower it. */
function raisedTo(floor: ActionClass | undefined): (actionClass: ActionClass) => ActionClass {
  return (actionClass) => (floor ? mostSevere([actionClass, floor]) : actionClass);
}

function validatorOf(schema: z.ZodType): GovernedTool['validate'] {
  return (args) => {
    const parsed = schema.safeParse(args);
    return parsed.success ? [] : describeIssues(parsed.error);
  };
}

/** The class a call's arguments give it: execute_command is classed per command, other tools by their declaration. */
function classifyArgs(
  workspaceDir: string,
  name: string,
  declared: ActionClass,
  args: Record<string, unknown>,
  caller: Caller,
): ActionClass {
  if (name !== 'execute_command' || typeof args['command'] !== 'string') return declared;
  // Where it runs, so that the class sees which targets exist (docs/governance.md "Classes from arguments").
  const place = { workspaceRoot: workspaceDir, cwd: typeof args['cwd'] === 'string' ? args['cwd'] : undefined };
  const classification = classifyCommand(args['command'], place);
  // Refuse now what the executor would refuse after an approval: the program must be allowed for this role.
  authorizeArgv(classification.argv, caller.role, place);
  return classification.actionClass;
}

/** A catalogue tool, governed: run through the (private) catalogue, which reaches the host only through the executor. */
export function governCatalogTool(
  catalog: ToolCatalog,
  declared: ToolDescriptor,
  workspaceDir: string,
  floor: ActionClass | undefined,
): GovernedTool {
  const name = declared.name;
  const tool: CapabilityTool = catalog.get(name);
  const atLeastFloor = raisedTo(floor);
  return {
    descriptor: { ...declared, actionClass: atLeastFloor(declared.actionClass) },
    minRole: tool.minRole,
    contentFields: tool.contentFields ?? [],
    validate: validatorOf(tool.argsSchema),
    classify: (args, caller) => atLeastFloor(classifyArgs(workspaceDir, name, tool.actionClass, args, caller)),
    run: (args, caller, justification) => catalog.run(name, args, { role: caller.role, signal: caller.signal, justification }),
  };
}

/** A contributed tool, governed: listed like a catalogue tool, its arguments parsed by its zod schema before it runs. */
export function governContributedTool(tool: ContributedTool, floor: ActionClass | undefined): GovernedTool {
  if (tool.actionClass !== ActionClass.Read && tool.actionClass !== ActionClass.Safe) {
    throw new Error(`The contributed tool '${tool.name}' is ${String(tool.actionClass)}; only READ and SAFE tools can be contributed`);
  }
  const atLeastFloor = raisedTo(floor);
  const actionClass = atLeastFloor(tool.actionClass);
  return {
    descriptor: {
      name: tool.name,
      description: tool.description,
      actionClass,
      minRole: tool.minRole,
      argsSchema: z.toJSONSchema(tool.argsSchema, { io: 'input' }),
    },
    minRole: tool.minRole,
    contentFields: tool.contentFields ?? [],
    validate: validatorOf(tool.argsSchema),
    classify: () => actionClass,
    run: async (args, caller) => {
      const parsed = tool.argsSchema.safeParse(args);
      if (!parsed.success) {
        throw new GovernanceException(
          GovernanceExceptionCode.InvalidArguments,
          `Invalid arguments for '${tool.name}'`,
          describeIssues(parsed.error),
        );
      }
      caller.signal?.throwIfAborted();
      const { output } = await tool.run(parsed.data, { caller, signal: caller.signal });
      return { output };
    },
  };
}
