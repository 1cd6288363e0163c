import { SetMetadata } from '@nestjs/common';
import type { Role } from '@helpdesk/domain';

export const ROLES_KEY = 'helpdesk:roles';
export const PUBLIC_KEY = 'helpdesk:public';

/** Who may call a route. Routes without @Roles (or @Public) are refused: authorisation fails closed. */
export const Roles = (...roles: Exclude<Role, 'system'>[]) => SetMetadata(ROLES_KEY, roles);
/** Readable without a token (health, OpenAPI). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The roles that run commands; auditors and reporters only read. */
export const WRITERS = ['admin', 'agent'] as const;
