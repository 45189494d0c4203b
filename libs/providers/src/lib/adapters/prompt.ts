import type { JSONValue } from 'ai';
import type { ChatMessage, ImagePart, ToolDefinition, ToolResultPart } from '../provider.types';
import type { ModelFunctionTool, ModelPrompt, ModelPromptMessage } from './ai-sdk.types';

/** Bytes go as base64 text, which every vendor package takes (ollama-ai-provider-v2 4.0.1 sends raw bytes wrongly). */
function imageData(part: ImagePart) {
  if (part.image instanceof URL) return { type: 'url' as const, url: part.image };
  return { type: 'data' as const, data: typeof part.image === 'string' ? part.image : Buffer.from(part.image).toString('base64') };
}

function toolOutput(part: ToolResultPart) {
  if (typeof part.output === 'string') return { type: part.isError ? ('error-text' as const) : ('text' as const), value: part.output };
  // Tool results come from the executor as plain JSON data (JSON.parse output or typed results).
  const value = (part.output ?? null) as JSONValue;
  return { type: part.isError ? ('error-json' as const) : ('json' as const), value };
}

/** Our conversation in the AI SDK's standard prompt form, which every vendor package translates. */
export function toModelPrompt(messages: readonly ChatMessage[]): ModelPrompt {
  return messages.map((message): ModelPromptMessage => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return {
          role: 'user',
          content:
            typeof message.content === 'string'
              ? [{ type: 'text', text: message.content }]
              : message.content.map((part) =>
                  part.type === 'text'
                    ? { type: 'text', text: part.text }
                    : { type: 'file', mediaType: part.mediaType, data: imageData(part) },
                ),
        };
      case 'assistant':
        return {
          role: 'assistant',
          content:
            typeof message.content === 'string'
              ? [{ type: 'text', text: message.content }]
              : message.content.map((part) =>
                  part.type === 'text'
                    ? { type: 'text', text: part.text }
                    : { type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input },
                ),
        };
      case 'tool':
        return {
          role: 'tool',
          content: message.content.map((part) => ({
            type: 'tool-result',
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            output: toolOutput(part),
          })),
        };
    }
  });
}

export function toModelTools(tools: readonly ToolDefinition[] | undefined): ModelFunctionTool[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
  }));
}
