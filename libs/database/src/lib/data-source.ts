import type { DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';
import { ApprovalRequestEntity } from './entities/approval-request.entity';
import { ConversationEntity } from './entities/conversation.entity';
import { MessageEntity } from './entities/message.entity';
import { AuditEntryEntity } from './entities/audit-entry.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { ToolActionEntity } from './entities/tool-action.entity';
import { UsageRecordEntity } from './entities/usage-record.entity';
import { UserEntity } from './entities/user.entity';
import { UploadEntity } from './entities/upload.entity';
import { MemoryItemEntity } from './entities/memory-item.entity';
import { CreateUsers1795290352219 } from './migrations/1795290352219-create-users';
import { CreateAuthAndAudit1795291000000 } from './migrations/1795291000000-create-auth-and-audit';
import { CreateUsageRecords1795292000000 } from './migrations/1795292000000-create-usage-records';
import { CreateApprovalsAndActions1795293000000 } from './migrations/1795293000000-create-approvals-and-actions';
import { MakeAuditEntriesAppendOnly1795294000000 } from './migrations/1795294000000-make-audit-entries-append-only';
import { CreateUploadsAndMemory1795295000000 } from './migrations/1795295000000-create-uploads-and-memory';
import { CreateConversations1795296000000 } from './migrations/1795296000000-create-conversations';
import { AddApprovalToolCallId1795297000000 } from './migrations/1795297000000-add-approval-tool-call-id';
import { AddApprovalConversationId1795298000000 } from './migrations/1795298000000-add-approval-conversation-id';

/** Every entity, listed (not globbed) so the bundled server finds them. */
export const ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  ApiKeyEntity,
  AuditEntryEntity,
  UsageRecordEntity,
  ApprovalRequestEntity,
  ToolActionEntity,
  UploadEntity,
  MemoryItemEntity,
  ConversationEntity,
  MessageEntity,
];

/** Every migration in order; each has a reversible `down`. */
export const MIGRATIONS = [
  CreateUsers1795290352219,
  CreateAuthAndAudit1795291000000,
  CreateUsageRecords1795292000000,
  CreateApprovalsAndActions1795293000000,
  MakeAuditEntriesAppendOnly1795294000000,
  CreateUploadsAndMemory1795295000000,
  CreateConversations1795296000000,
  AddApprovalToolCallId1795297000000,
  AddApprovalConversationId1795298000000,
];

export interface DatabaseConnection {
  url: string;
  /** PGlite serves one query at a time: the pool then holds a single connection. */
  embedded: boolean;
}

export function createDataSourceOptions({ url, embedded }: DatabaseConnection): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    logging: false,
    extra: { max: embedded ? 1 : 10, connectionTimeoutMillis: 10_000 },
  };
}
