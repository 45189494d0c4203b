import { type Role, roleAtLeast, type ToolCallRecord } from '@aegis/contracts';
import type { ToolRegistry } from '@aegis/governance';
import type { ToolDefinition } from '@aegis/providers';

const JUSTIFICATION_PROPERTY = 'justification';

/** The tool definitions a role may call directly, each schema extended with the justification governance asks for. */
export function toolsFor(registry: Pick<ToolRegistry, 'list'>, role: Role): ToolDefinition[] {
  return registry
    .list()
    .filter((tool) => roleAtLeast(role, tool.minRole))
    .map((tool) => {
      const schema = tool.argsSchema;
      const properties = (schema['properties'] as Record<string, unknown> | undefined) ?? {};
      return {
        name: tool.name,
        description: `${tool.description} (${tool.actionClass})`,
        inputSchema: {
          ...schema,
          properties: {
            ...properties,
            [JUSTIFICATION_PROPERTY]: { type: 'string', description: 'Why this action is needed (SENSITIVE and CRITICAL actions).' },
          },
          additionalProperties: false,
        },
      };
    });
}

/** A model's tool input as governance takes it: the arguments, and the justification beside them. */
export function splitJustification(input: unknown): { args: Record<string, unknown>; justification: string | undefined } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { args: {}, justification: undefined };
  const { [JUSTIFICATION_PROPERTY]: justification, ...args } = input as Record<string, unknown>;
  return { args, justification: typeof justification === 'string' ? justification : undefined };
}

/** What the model reads back for one call. */
export function observation(record: ToolCallRecord): unknown {
  return { status: record.status, ...(record.errorCode ? { error: record.errorCode } : {}), output: record.output };
}
