import type { ApprovalStatus } from '@aegis/contracts';
import { ApprovalRequestEntity, ToolActionEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, In, type Repository } from 'typeorm';

export type NewApprovalRequest = Omit<
  ApprovalRequestEntity,
  'id' | 'status' | 'createdAt' | 'decidedById' | 'decidedByName' | 'decidedAt' | 'decisionComment' | 'actionId'
>;

/** Where a page of requests starts: after this one (newest first). */
export interface ApprovalPosition {
  createdAt: Date;
  id: string;
}

/** How an approved request's action ended, as tool_actions says now. */
export type ApprovalActionStatus = 'running' | 'completed' | 'failed' | 'rolled_back';

/** The requests waiting for an admin now, for metrics. */
export interface PendingApprovals {
  count: number;
  /** When the oldest of them was requested; null when none waits. */
  oldestCreatedAt: Date | null;
}

export interface Decider {
  userId: string;
  name: string;
}

/**
 * approval_requests. Every state change is one conditional UPDATE (`… WHERE status = <expected>`),
 * so of two concurrent deciders or executors exactly one wins, across API instances too.
 */
@Injectable()
export class ApprovalRepository {
  private readonly repository: Repository<ApprovalRequestEntity>;
  private readonly actions: Repository<ToolActionEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repository = dataSource.getRepository(ApprovalRequestEntity);
    this.actions = dataSource.getRepository(ToolActionEntity);
  }

  /** `id` may be chosen by the caller (the registry audits a request before storing it). */
  create(request: NewApprovalRequest & { id?: string }): Promise<ApprovalRequestEntity> {
    return this.repository.save(this.repository.create({ ...request, status: 'pending', createdAt: new Date() }));
  }

  findById(id: string): Promise<ApprovalRequestEntity | null> {
    return this.repository.findOneBy({ id });
  }

  /** One page, newest first (created_at, then id), of the requests in `statuses` (all when empty), after `after`. */
  page(statuses: readonly ApprovalStatus[], after: ApprovalPosition | undefined, limit: number): Promise<ApprovalRequestEntity[]> {
    const query = this.repository
      .createQueryBuilder('request')
      .orderBy('request.created_at', 'DESC')
      .addOrderBy('request.id', 'DESC')
      .limit(limit);
    if (statuses.length > 0) query.andWhere('request.status IN (:...statuses)', { statuses });
    if (after) query.andWhere('(request.created_at, request.id) < (:createdAt, :id)', { createdAt: after.createdAt, id: after.id });
    return query.getMany();
  }

  /** The current status of each of these actions, by id (rolled back ones say so). */
  async actionStatuses(actionIds: readonly string[]): Promise<Map<string, ApprovalActionStatus>> {
    if (actionIds.length === 0) return new Map();
    const actions = await this.actions.find({ select: { id: true, status: true, rolledBackAt: true }, where: { id: In([...actionIds]) } });
    return new Map(actions.map((action) => [action.id, action.rolledBackAt ? 'rolled_back' : action.status]));
  }

  /** How many requests wait (pending and not yet expired), and since when the oldest: one aggregate query. */
  async pending(): Promise<PendingApprovals> {
    const row = await this.repository
      .createQueryBuilder('request')
      .select('count(*)::int', 'count')
      .addSelect('min(request.created_at)', 'oldest')
      .where(`request.status = 'pending' AND request.expires_at > now()`)
      .getRawOne<{ count: number; oldest: Date | string | null }>();
    const oldest = row?.oldest ?? null;
    return { count: row?.count ?? 0, oldestCreatedAt: oldest === null ? null : new Date(oldest) };
  }

  /** pending → expired for every request past its expiry; returns the ids it expired. */
  async expireDue(): Promise<string[]> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ status: 'expired', decidedAt: () => 'now()' })
      .where(`status = 'pending' AND expires_at <= now()`)
      .returning('id')
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /** pending (and not expired) → approved or rejected; false when another decision or the clock came first. */
  async decide(id: string, status: 'approved' | 'rejected', decider: Decider, comment: string | null): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ status, decidedById: decider.userId, decidedByName: decider.name, decidedAt: () => 'now()', decisionComment: comment })
      .where(`id = :id AND status = 'pending' AND expires_at > now()`, { id })
      .execute();
    return result.affected === 1;
  }

  /** approved → executing: whoever gets true runs the action; nobody else ever does. */
  async claimForExecution(id: string): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ status: 'executing' })
      .where(`id = :id AND status = 'approved'`, { id })
      .execute();
    return result.affected === 1;
  }

  /** executing → executed or failed, with the action it ran. */
  async finishExecution(id: string, status: 'executed' | 'failed', actionId: string | null): Promise<void> {
    await this.repository
      .createQueryBuilder()
      .update()
      .set({ status, actionId })
      .where(`id = :id AND status = 'executing'`, { id })
      .execute();
  }
}
