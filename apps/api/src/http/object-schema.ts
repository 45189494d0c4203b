/** OpenAPI for a free-form JSON object (tool arguments and outputs, audit args). */
export const OBJECT_SCHEMA = { type: 'object', additionalProperties: true } as const;
