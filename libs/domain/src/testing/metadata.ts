import type { Actor, Command, CommandMetadata } from '../shared/message';

/** When the commands of the catalog deciders' specs are sent. */
export const NOW = '2026-03-01T09:00:00.000Z';

/**
 * Command builders for a decider spec whose commands come from `defaultActor` unless a case names
 * someone else:
 *   const { command } = commandsFrom(ada);
 *   const close = (actor?: Actor) => command<CloseThing>('CloseThing', { thingId: 't-1' }, actor);
 */
export const commandsFrom = (defaultActor: Actor, fixed: Partial<Omit<CommandMetadata, 'actor'>> = {}) => {
  const meta = (actor: Actor = defaultActor): CommandMetadata => ({ now: NOW, actor, channel: 'api', correlationId: 'corr-1', ...fixed });
  const command = <C extends Command>(type: C['type'], data: C['data'], actor?: Actor): C => ({ type, data, metadata: meta(actor) }) as C;
  return { meta, command };
};
