import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor, Role } from '@helpdesk/domain';
import { Authenticator } from '@helpdesk/application';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

/** Bearer token -> actor, then the route's roles. Applied globally. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('A bearer token is required (Authorization: Bearer <token>)');
    const actor = await this.authenticator.authenticate(match[1]!);
    if (!actor) throw new UnauthorizedException('The bearer token is unknown, revoked, or belongs to a deactivated user');
    request.actor = actor;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(actor.role)) {
      throw new ForbiddenException(`The ${actor.role} role may not do this`);
    }
    return true;
  }
}
