import { Injectable } from '@nestjs/common';
import type { Actor } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { hashToken } from '../agents/issue-token.handler';

/** Bearer token -> actor. Tokens are looked up by their SHA-256; a deactivated agent's tokens stop working. */
@Injectable()
export class Authenticator {
  constructor(private readonly catalog: CatalogService) {}

  async authenticate(token: string): Promise<Actor | undefined> {
    const hash = hashToken(token);
    // Always the current catalog: a token revoked a moment ago (here or in another process) must fail now.
    const catalog = await this.catalog.current();
    const entry = catalog.tokens[hash];
    const agent = entry ? catalog.agents[entry.agentId] : undefined;
    if (!agent || !agent.active) return undefined;
    return { id: agent.id, role: agent.role };
  }
}
