import { CollectionDefinition } from '../../document-store.port';
import { CollectionInfo, validateDefinition } from '../definitions';
import { textKeys } from '../text-search';
import { Stored } from './mongo-semantics';

/** A collection's registry entry as the store would hold it, with the fields found holding arrays. */
export function infoOf(definition: CollectionDefinition, options: { arrays?: readonly string[]; bulk?: boolean } = {}): CollectionInfo {
  const { name, definition: validated } = validateDefinition(definition);
  return new CollectionInfo({ _id: name, definition: validated, bulk: options.bulk ?? false, arrays: [...(options.arrays ?? [])] });
}

/** A port document as the store keeps it in MongoDB: { _id, d, x }. */
export function stored(document: { readonly id: string } & Record<string, unknown>, textFields?: readonly string[]): Stored {
  const d = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
  return { _id: document.id, d, ...(textFields ? { x: textKeys(d, textFields) } : {}) };
}
