import { createHash, randomUUID } from 'node:crypto';

/** A fresh random id (UUID v4). */
export const newId = (): string => randomUUID();

/**
 * A name-based UUID (RFC 9562 v5: SHA-1 of namespace + name). The same name always gives the same id,
 * which is what makes retried writes idempotent (event ids, request ids from an Idempotency-Key).
 */
export const nameBasedId = (name: string, namespace = HELPDESK_NAMESPACE): string => {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** Our own namespace for name-based ids (a random v4, fixed forever). */
export const HELPDESK_NAMESPACE = '6f1c2a7e-3b5d-4e8a-9c0f-2d4b6a8e1f37';

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
