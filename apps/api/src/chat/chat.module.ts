import { AgentRunner, DEFAULT_SYSTEM_PROMPT, registerMemoryTools } from '@aegis/agent';
import { APP_CONFIG, type AppConfig } from '@aegis/config';
import { GOVERNANCE_SETTINGS, GovernanceEvents, GovernanceModule, type GovernanceSettings, ToolRegistry } from '@aegis/governance';
import { MemoryModule, MemoryService } from '@aegis/memory';
import { ProviderCascade, ProvidersModule } from '@aegis/providers';
import { Module } from '@nestjs/common';
import { UploadsHttpModule } from '../uploads/uploads-http.module';
import { ApprovalNotifier } from './approval-notifier';
import { ChatAttachments } from './chat-attachments';
import { ChatGateway } from './chat.gateway';
import { CHAT_SETTINGS, type ChatSettings, DEFAULT_CHAT_SETTINGS } from './chat.settings';
import { ChatRunsService } from './chat-runs.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { SocketSessions } from './socket-sessions';

/** Conversations over HTTP and the `/chat` socket.io namespace that runs the agent. */
@Module({
  imports: [GovernanceModule, ProvidersModule, MemoryModule, UploadsHttpModule],
  controllers: [ConversationsController],
  providers: [
    ConversationsRepository,
    ConversationsService,
    ChatAttachments,
    ChatRunsService,
    ChatGateway,
    ApprovalNotifier,
    SocketSessions,
    {
      provide: CHAT_SETTINGS,
      useFactory: (governance: GovernanceSettings, config: AppConfig): ChatSettings => ({
        ...DEFAULT_CHAT_SETTINGS,
        approvalTimeoutMs: governance.approvalTtlSeconds * 1000,
        maxConcurrentRunsPerUser: config.chatMaxConcurrentRuns,
      }),
      inject: [GOVERNANCE_SETTINGS, APP_CONFIG],
    },
    {
      provide: AgentRunner,
      useFactory: (
        cascade: ProviderCascade,
        registry: ToolRegistry,
        events: GovernanceEvents,
        memory: MemoryService,
        settings: ChatSettings,
      ) => {
        // The memory tools join the one registry at start-up: listed, checked and audited like every tool (docs/memory.md).
        registerMemoryTools(registry, memory);
        return new AgentRunner(cascade, registry, events, {
          limits: settings.limits,
          approvalTimeoutMs: settings.approvalTimeoutMs,
          systemPrompt: DEFAULT_SYSTEM_PROMPT,
        });
      },
      inject: [ProviderCascade, ToolRegistry, GovernanceEvents, MemoryService, CHAT_SETTINGS],
    },
  ],
  exports: [ConversationsService, ChatRunsService],
})
export class ChatModule {}
