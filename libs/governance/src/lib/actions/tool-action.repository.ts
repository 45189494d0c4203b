import { ToolActionEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';

export type NewToolAction = Pick<
  ToolActionEntity,
  'tool' | 'actionClass' | 'actorType' | 'actorId' | 'actorName' | 'role' | 'runId' | 'approvalId' | 'argsSha256'
>;

export type ToolActionEnd = Pick<ToolActionEntity, 'status' | 'verification' | 'rollback' | 'errorCode' | 'errorMessage'>;

/** tool_actions: one row per tool run, written before it runs and completed after. */
@Injectable()
export class ToolActionRepository {
  private readonly repository: Repository<ToolActionEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.repository = dataSource.getRepository(ToolActionEntity);
  }

  start(action: NewToolAction): Promise<ToolActionEntity> {
    return this.repository.save(this.repository.create({ ...action, status: 'running', createdAt: new Date() }));
  }

  async finish(id: string, end: ToolActionEnd): Promise<void> {
    await this.repository.update({ id }, { ...end, finishedAt: new Date() });
  }

  findById(id: string): Promise<ToolActionEntity | null> {
    return this.repository.findOneBy({ id });
  }

  /** Marks the action as rolled back before the undo runs, so two rollbacks cannot both run; false when one came first. */
  async claimRollback(id: string, by: { userId: string; name: string }): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ rolledBackAt: () => 'now()', rolledBackById: by.userId, rolledBackByName: by.name })
      .where('id = :id AND rolled_back_at IS NULL AND rollback IS NOT NULL', { id })
      .execute();
    return result.affected === 1;
  }

  /** Gives a failed undo back, so it can be tried again. */
  async releaseRollback(id: string): Promise<void> {
    await this.repository.update({ id }, { rolledBackAt: null, rolledBackById: null, rolledBackByName: null });
  }
}
