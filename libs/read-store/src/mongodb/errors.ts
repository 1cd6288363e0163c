export { CheckpointConflictError } from '../document-store.port';

/** MongoDB server error codes the store tells apart. */
export const MongoCode = {
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  NamespaceExists: 48,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  DuplicateKey: 11000,
} as const;

export const hasCode = (error: unknown, code: number): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
