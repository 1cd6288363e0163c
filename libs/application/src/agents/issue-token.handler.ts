import { randomBytes } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { agentDecider } from '@helpdesk/domain';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner, type CommandOutcome } from '../event-sourcing/command-runner';
import { newId, sha256Hex } from '../support/ids';
import { Streams } from '../support/streams';

export class IssueAgentToken {
  constructor(
    readonly agentId: string,
    readonly label: string,
    readonly ctx: CommandContext,
    /** Only for bootstrapping from configuration; otherwise the token is random. */
    readonly presetToken?: string,
  ) {}
}

export interface IssuedToken {
  readonly tokenId: string;
  /** Shown once. Only its SHA-256 is stored; a replayed command cannot show it again (null). */
  readonly token: string | null;
  readonly outcome: CommandOutcome<unknown>;
}

/** 256 random bits, so a fast hash (SHA-256) is enough to store it: there is nothing to brute-force. */
export const generateToken = (): string => `hd_${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string): string => sha256Hex(token);

@CommandHandler(IssueAgentToken)
export class IssueAgentTokenHandler implements ICommandHandler<IssueAgentToken, IssuedToken> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ agentId, label, ctx, presetToken }: IssueAgentToken): Promise<IssuedToken> {
    const token = presetToken ?? generateToken();
    const tokenId = newId();
    const outcome = await this.runner.run(ctx, { streamId: Streams.agent(agentId), decider: agentDecider }, (uow, agent) => {
      const command = { type: 'IssueToken' as const, data: { tokenId, tokenHash: hashToken(token), label }, metadata: commandMetadata(ctx) };
      uow.append(agent, agentDecider, agentDecider.decide(command, agent.state, undefined));
      return { tokenId };
    });
    return { tokenId: outcome.result?.tokenId ?? tokenId, token: outcome.replayed ? null : token, outcome };
  }
}
