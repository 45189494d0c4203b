import { ACTION_CLASSES, type ActionClass, isProviderName, PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import { z } from 'zod';
import { parseDurationSeconds, parseRateLimit, type RateLimit } from './duration';
import { Secret } from './secret';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

// Parsers of single environment variables (text in, a typed value or a readable issue out); config.schema.ts composes them.

export const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export const optionalString = z.preprocess(blankToUndefined, z.string().optional());
export const secret = (check: z.ZodString = z.string()) =>
  z.preprocess(blankToUndefined, check.optional()).transform((value) => (value === undefined ? undefined : new Secret(value)));

export const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  );

export const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

export const duration = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const seconds = parseDurationSeconds(text);
        if (seconds === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a duration such as 30s, 15m, 12h or 7d',
          });
          return z.NEVER;
        }
        return seconds;
      }),
  );

export const rateLimit = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx): RateLimit => {
        const parsed = parseRateLimit(text);
        if (!parsed) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be count/seconds, e.g. 5/60',
          });
          return z.NEVER;
        }
        return parsed;
      }),
  );

export const usd = z.preprocess(
  blankToUndefined,
  z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be above 0' }).optional(),
);

const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

export const providerModels = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx): Partial<Record<ProviderName, string>> => {
      const models: Partial<Record<ProviderName, string>> = {};
      for (const entry of commaList(text)) {
        const [provider = '', model = ''] = entry.split('=').map((part) => part.trim());
        if (!isProviderName(provider) || model === '') {
          ctx.addIssue({
            code: 'custom',
            message: `'${entry}' is not provider=model with a provider of ${PROVIDER_NAMES.join(', ')}`,
          });
        } else {
          models[provider] = model;
        }
      }
      return models;
    }),
);

export const providerEmbedding = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((text, ctx): { provider: ProviderName; model?: string } | undefined => {
      if (text === undefined) return undefined;
      const [provider = '', model = ''] = text.split('=').map((part) => part.trim());
      if (!isProviderName(provider)) {
        ctx.addIssue({
          code: 'custom',
          message: `'${text}' is not provider or provider=model with a provider of ${PROVIDER_NAMES.join(', ')}`,
        });
        return z.NEVER;
      }
      return model === '' ? { provider } : { provider, model };
    }),
);

export const providerPrices = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx): Record<string, { inputPerMillion: number; outputPerMillion: number }> => {
      const prices: Record<string, { inputPerMillion: number; outputPerMillion: number }> = {};
      for (const entry of commaList(text)) {
        const match = /^([a-z]+)\/(.+)=(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(entry);
        if (!match || !isProviderName(match[1])) {
          ctx.addIssue({
            code: 'custom',
            message: `'${entry}' is not provider/model=input/output (USD per million tokens)`,
          });
        } else {
          prices[`${match[1]}/${match[2]}`] = {
            inputPerMillion: Number(match[3]),
            outputPerMillion: Number(match[4]),
          };
        }
      }
      return prices;
    }),
);

/** PROVIDER_DEFAULT_PRICE: `input/output` USD per million tokens for models the price table does not know. */
export const providerDefaultPrice = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d+(?:\.\d+)?\/\d+(?:\.\d+)?$/, { error: 'must be input/output in USD per million tokens, e.g. 2/8' })
    .transform((text) => {
      const [input, output] = text.split('/').map(Number);
      return { inputPerMillion: input, outputPerMillion: output };
    })
    .optional(),
);

/** A comma list of names, each matching `pattern`; duplicates dropped. */
export const nameList = (pattern: RegExp, what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('')
      .transform((text, ctx) => {
        const names = [
          ...new Set(
            text
              .split(',')
              .map((name) => name.trim())
              .filter((name) => name.length > 0),
          ),
        ];
        for (const name of names)
          if (!pattern.test(name))
            ctx.addIssue({
              code: 'custom',
              message: `'${name}' is not ${what}`,
            });
        return names;
      }),
  );

/** `tool=CLASS` pairs: tools whose every call is at least that class (docs/governance.md "Raising a tool's class"). */
export const raisedClasses = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const raised: Record<string, ActionClass> = {};
      for (const pair of text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0)) {
        const match = /^([a-z][a-z0-9_]{0,63})=([A-Za-z]+)$/.exec(pair);
        const actionClass = match?.[2].toUpperCase() as ActionClass | undefined;
        if (!match || !actionClass || !ACTION_CLASSES.includes(actionClass)) {
          ctx.addIssue({ code: 'custom', message: `'${pair}' is not tool=CLASS with a class among ${ACTION_CLASSES.join(', ')}` });
          continue;
        }
        raised[match[1]] = actionClass;
      }
      return raised;
    }),
);

export const databaseUrl = z.string().refine((text) => /^postgres(ql)?:\/\/.+/.test(text), {
  error: 'must be a postgres:// or postgresql:// URL',
});
export const redisUrl = z.string().refine((text) => /^rediss?:\/\/.+/.test(text), {
  error: 'must be a redis:// or rediss:// URL',
});
export const httpUrl = z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional());

export const corsOrigins = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const origins = text
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0);
      for (const origin of origins) {
        if (origin === '*') {
          ctx.addIssue({
            code: 'custom',
            message: "'*' is refused: list the allowed origins",
          });
        } else if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
          ctx.addIssue({
            code: 'custom',
            message: `'${origin}' is not an origin like https://aegis.example.com`,
          });
        }
      }
      return origins;
    }),
);

export const trustProxy = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((text, ctx): TrustProxy => {
      const parsed = parseTrustProxy(text);
      if ('value' in parsed) return parsed.value;
      for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }),
);

export const providerOrder = z.preprocess(
  blankToUndefined,
  z
    .string()
    .default('ollama')
    .transform((text, ctx): ProviderName[] => {
      const names = text.split(',').map((name) => name.trim().toLowerCase());
      const unknown = names.filter((name) => !isProviderName(name));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown provider ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${PROVIDER_NAMES.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(names.filter(isProviderName))];
    }),
);
