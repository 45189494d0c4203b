import type { ProviderName } from '@aegis/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type AdmissionResult, admissionOf, type SpendLimits, type UsageIncrement, type UsageStore } from './usage-store';

export const USAGE_DIMENSIONS = ['day', 'user', 'provider', 'model', 'conversation'] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

export interface UsageReportQuery {
  /** Inclusive UTC days, `YYYY-MM-DD`. */
  from: string;
  to: string;
  userId?: string;
  provider?: ProviderName;
  model?: string;
  conversationId?: string;
  groupBy: UsageDimension[];
  limit: number;
}

export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
  /** costMicroDollars in dollars, for reading. */
  costUsd: number;
}

/** One day of one group (GET /api/usage/timeseries), before the days without usage are filled in. */
export interface UsageDailyRow {
  day: string;
  provider?: string;
  model?: string;
  userId?: string | null;
  username?: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
}

export type UsageSeriesDimension = 'provider' | 'model' | 'user';

interface UsageDailyQuery {
  from: string;
  to: string;
  userId?: string;
  provider?: ProviderName;
  model?: string;
  groupBy: UsageSeriesDimension;
}

export interface UsageReportRow extends UsageTotals {
  day?: string;
  userId?: string | null;
  username?: string | null;
  provider?: string;
  model?: string;
  conversationId?: string | null;
}

/** Columns selected and grouped for each dimension; only these fixed fragments ever reach the SQL text. */
const DIMENSION_SQL: Record<UsageDimension, { select: string[]; group: string[] }> = {
  day: { select: [`to_char(u.day, 'YYYY-MM-DD') AS day`], group: ['u.day'] },
  user: { select: ['u.user_id AS user_id', 'users.username AS username'], group: ['u.user_id', 'users.username'] },
  provider: { select: ['u.provider AS provider'], group: ['u.provider'] },
  model: { select: ['u.model AS model'], group: ['u.model'] },
  conversation: { select: ['u.conversation_id AS conversation_id'], group: ['u.conversation_id'] },
};

const SUMS = `coalesce(sum(u.requests), 0)::text AS requests, coalesce(sum(u.input_tokens), 0)::text AS input_tokens,
  coalesce(sum(u.output_tokens), 0)::text AS output_tokens, coalesce(sum(u.cost_micro_usd), 0)::text AS cost_micro_usd`;

interface SumColumns {
  requests: string;
  input_tokens: string;
  output_tokens: string;
  cost_micro_usd: string;
}

const totalsOf = (row: SumColumns): UsageTotals => ({
  requests: Number(row.requests),
  inputTokens: Number(row.input_tokens),
  outputTokens: Number(row.output_tokens),
  costMicroDollars: Number(row.cost_micro_usd),
  costUsd: Number(row.cost_micro_usd) / 1_000_000,
});

/** The group columns of a time series: a model is told apart per provider (two vendors may serve one name). */
const SERIES_SQL: Record<UsageSeriesDimension, { select: string[]; group: string[] }> = {
  provider: { select: ['u.provider AS provider'], group: ['u.provider'] },
  model: { select: ['u.provider AS provider', 'u.model AS model'], group: ['u.provider', 'u.model'] },
  user: { select: ['u.user_id AS user_id', 'users.username AS username'], group: ['u.user_id', 'users.username'] },
};

/** Advisory-lock namespaces (first key of pg_advisory_xact_lock(int, int)) of the budget admissions. */
const GLOBAL_BUDGET_LOCK = 0x41454731;
const USER_BUDGET_LOCK = 0x41455531;

// A negative cost (a reservation taken back) only ever meets the row that holds the reservation;
// the inserted values are clamped because PostgreSQL checks them before it sees the conflict.
const UPSERT = `INSERT INTO usage_records AS r (day, user_id, conversation_id, provider, model, requests, input_tokens, output_tokens, cost_micro_usd, updated_at)
       VALUES ($1::date, $2, $3, $4, $5, $6, $7, $8, greatest($9::bigint, 0), now())
       ON CONFLICT (day, user_id, conversation_id, provider, model) DO UPDATE SET
         requests = r.requests + EXCLUDED.requests,
         input_tokens = r.input_tokens + EXCLUDED.input_tokens,
         output_tokens = r.output_tokens + EXCLUDED.output_tokens,
         cost_micro_usd = greatest(r.cost_micro_usd + $9::bigint, 0),
         updated_at = now()`;

const upsertParameters = (increment: UsageIncrement): unknown[] => [
  increment.day,
  increment.userId,
  increment.conversationId,
  increment.provider,
  increment.model,
  increment.requests ?? 1,
  increment.inputTokens,
  increment.outputTokens,
  increment.costMicroDollars,
];

// Many increments in one statement (rows sorted by key, so two instances' batches lock rows in the same order);
// a negative cost is applied by id afterwards, in the same transaction, for the reason above.
const UPSERT_MANY = `INSERT INTO usage_records AS r (day, user_id, conversation_id, provider, model, requests, input_tokens, output_tokens, cost_micro_usd, updated_at)
       SELECT b.day, b.user_id, b.conversation_id, b.provider, b.model, b.requests, b.input_tokens, b.output_tokens, greatest(b.cost, 0), now()
         FROM unnest($1::date[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::int[], $7::bigint[], $8::bigint[], $9::bigint[])
           AS b(day, user_id, conversation_id, provider, model, requests, input_tokens, output_tokens, cost)
       ON CONFLICT (day, user_id, conversation_id, provider, model) DO UPDATE SET
         requests = r.requests + EXCLUDED.requests,
         input_tokens = r.input_tokens + EXCLUDED.input_tokens,
         output_tokens = r.output_tokens + EXCLUDED.output_tokens,
         cost_micro_usd = r.cost_micro_usd + EXCLUDED.cost_micro_usd,
         updated_at = now()
       RETURNING r.id::text AS id, to_char(r.day, 'YYYY-MM-DD') AS day, r.user_id, r.conversation_id, r.provider, r.model`;

const TAKE_BACK_BY_ID = `UPDATE usage_records r SET cost_micro_usd = greatest(r.cost_micro_usd + b.cost, 0)
       FROM unnest($1::bigint[], $2::bigint[]) AS b(id, cost) WHERE r.id = b.id`;

interface UpsertedKey {
  id: string;
  day: string;
  user_id: string | null;
  conversation_id: string | null;
  provider: string;
  model: string;
}

const keyOf = (row: { day: string; userId: string | null; conversationId: string | null; provider: string; model: string }): string =>
  [row.day, row.userId ?? '', row.conversationId ?? '', row.provider, row.model].join('|');

/** usage_records in PostgreSQL: one upserted row per day and key, summed for budgets and reports. */
@Injectable()
export class UsageRepository implements UsageStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(increment: UsageIncrement): Promise<void> {
    await this.dataSource.query(UPSERT, upsertParameters(increment));
  }

  /** Adds increments of distinct rows (BatchedUsageStore merges them) in one transaction. */
  async addMany(increments: UsageIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    const rows = [...increments].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    const column = <T>(pick: (increment: UsageIncrement) => T): T[] => rows.map(pick);
    await this.dataSource.transaction(async (manager) => {
      const upserted = await manager.query<UpsertedKey[]>(UPSERT_MANY, [
        column((row) => row.day),
        column((row) => row.userId),
        column((row) => row.conversationId),
        column((row) => row.provider),
        column((row) => row.model),
        column((row) => row.requests ?? 1),
        column((row) => row.inputTokens),
        column((row) => row.outputTokens),
        column((row) => row.costMicroDollars),
      ]);
      const negative = new Map(rows.filter((row) => row.costMicroDollars < 0).map((row) => [keyOf(row), row.costMicroDollars]));
      if (negative.size === 0) return;
      const ids: string[] = [];
      const costs: number[] = [];
      for (const row of upserted) {
        const cost = negative.get(keyOf({ ...row, userId: row.user_id, conversationId: row.conversation_id }));
        if (cost === undefined) continue;
        ids.push(row.id);
        costs.push(cost);
      }
      await manager.query(TAKE_BACK_BY_ID, [ids, costs]);
    });
  }

  async spentSince(fromDay: string, userId?: string): Promise<number> {
    return this.spent(this.dataSource.manager, fromDay, userId);
  }

  /**
   * One transaction: take the advisory lock of each budget (global first, then the user's, so two
   * admissions never wait on each other in a cycle), read the spend, add the reservation. Every
   * instance sharing the database takes the same locks, so admissions against one budget happen
   * one at a time and each sees the reservations committed before it.
   */
  async addIfWithin(increment: UsageIncrement, limits: SpendLimits): Promise<AdmissionResult> {
    return this.dataSource.transaction(async (manager) => {
      if (limits.globalMicroDollars !== undefined) await manager.query(`SELECT pg_advisory_xact_lock($1, 0)`, [GLOBAL_BUDGET_LOCK]);
      if (limits.userMicroDollars !== undefined && limits.userId !== undefined) {
        await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [USER_BUDGET_LOCK, limits.userId]);
      }
      // Read COMMITTED: each statement below takes its snapshot after the locks were granted.
      const globalSpent = limits.globalMicroDollars === undefined ? 0 : await this.spent(manager, limits.fromDay);
      const userSpent =
        limits.userMicroDollars === undefined || limits.userId === undefined ? 0 : await this.spent(manager, limits.fromDay, limits.userId);
      const verdict = admissionOf(limits, globalSpent, userSpent);
      if (verdict.admitted) await manager.query(UPSERT, upsertParameters(increment));
      return verdict;
    });
  }

  private async spent(manager: EntityManager, fromDay: string, userId?: string): Promise<number> {
    const [row] = await manager.query<{ spent: string }[]>(
      userId === undefined
        ? `SELECT coalesce(sum(cost_micro_usd), 0)::text AS spent FROM usage_records WHERE day >= $1::date`
        : `SELECT coalesce(sum(cost_micro_usd), 0)::text AS spent FROM usage_records WHERE day >= $1::date AND user_id = $2`,
      userId === undefined ? [fromDay] : [fromDay, userId],
    );
    return Number(row.spent);
  }

  /** Sums grouped by the requested dimensions, biggest cost first (newest day first when grouped by day). */
  async report(query: UsageReportQuery): Promise<{ items: UsageReportRow[]; totals: UsageTotals; truncated: boolean }> {
    const conditions = ['u.day BETWEEN $1::date AND $2::date'];
    const parameters: unknown[] = [query.from, query.to];
    const filter = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      parameters.push(value);
      conditions.push(`${column} = $${parameters.length}`);
    };
    filter('u.user_id', query.userId);
    filter('u.provider', query.provider);
    filter('u.model', query.model);
    filter('u.conversation_id', query.conversationId);
    const where = conditions.join(' AND ');

    const dimensions = USAGE_DIMENSIONS.filter((dimension) => query.groupBy.includes(dimension));
    const select = dimensions.flatMap((dimension) => DIMENSION_SQL[dimension].select);
    const group = dimensions.flatMap((dimension) => DIMENSION_SQL[dimension].group);
    const order = [
      ...(dimensions.includes('day') ? ['u.day DESC'] : []),
      'sum(u.cost_micro_usd) DESC',
      ...group.map((column) => `${column} ASC`),
    ];
    parameters.push(query.limit + 1);
    const rows = await this.dataSource.query<(SumColumns & Record<string, string | null>)[]>(
      `SELECT ${[...select, SUMS].join(', ')}
         FROM usage_records u LEFT JOIN users ON users.id = u.user_id
        WHERE ${where}
        ${group.length > 0 ? `GROUP BY ${group.join(', ')}` : ''}
        ORDER BY ${group.length > 0 ? order.join(', ') : '1'}
        LIMIT $${parameters.length}`,
      parameters,
    );
    const [totals] = await this.dataSource.query<SumColumns[]>(
      `SELECT ${SUMS} FROM usage_records u WHERE ${where}`,
      parameters.slice(0, -1),
    );

    const items = rows.slice(0, query.limit).map((row): UsageReportRow => {
      const item: UsageReportRow = totalsOf(row);
      if (dimensions.includes('day')) item.day = row['day'] ?? undefined;
      if (dimensions.includes('user')) Object.assign(item, { userId: row['user_id'], username: row['username'] });
      if (dimensions.includes('provider')) item.provider = row['provider'] ?? undefined;
      if (dimensions.includes('model')) item.model = row['model'] ?? undefined;
      if (dimensions.includes('conversation')) item.conversationId = row['conversation_id'];
      return item;
    });
    return { items, totals: totalsOf(totals), truncated: rows.length > query.limit };
  }

  /** Sums per UTC day and group over the range; days without usage are absent (the caller fills them). */
  async daily(query: UsageDailyQuery): Promise<UsageDailyRow[]> {
    const conditions = ['u.day BETWEEN $1::date AND $2::date'];
    const parameters: unknown[] = [query.from, query.to];
    for (const [column, value] of [
      ['u.user_id', query.userId],
      ['u.provider', query.provider],
      ['u.model', query.model],
    ] as const) {
      if (value === undefined) continue;
      parameters.push(value);
      conditions.push(`${column} = $${parameters.length}`);
    }
    const { select, group } = SERIES_SQL[query.groupBy];
    const rows = await this.dataSource.query<(SumColumns & Record<string, string | null>)[]>(
      `SELECT to_char(u.day, 'YYYY-MM-DD') AS day, ${[...select, SUMS].join(', ')}
         FROM usage_records u LEFT JOIN users ON users.id = u.user_id
        WHERE ${conditions.join(' AND ')}
        GROUP BY u.day, ${group.join(', ')}
        ORDER BY u.day ASC`,
      parameters,
    );
    return rows.map((row): UsageDailyRow => {
      const { costUsd: _dollars, ...sums } = totalsOf(row);
      const item: UsageDailyRow = { day: row['day'] ?? '', ...sums };
      if (query.groupBy === 'provider' || query.groupBy === 'model') item.provider = row['provider'] ?? undefined;
      if (query.groupBy === 'model') item.model = row['model'] ?? undefined;
      if (query.groupBy === 'user') Object.assign(item, { userId: row['user_id'], username: row['username'] });
      return item;
    });
  }
}
