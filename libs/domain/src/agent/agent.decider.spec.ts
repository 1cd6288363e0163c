import { SYSTEM_ACTOR, type Actor } from '../shared/message';
import { ada, bob, cy } from '../testing/actors';
import { commandsFrom, NOW } from '../testing/metadata';
import { eachRuleIsReportedAs } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import type {
  AddFavourite,
  DeactivateAgent,
  IssueToken,
  ReactivateAgent,
  RegisterAgent,
  RemoveFavourite,
  RevokeToken,
  UpdateAgent,
} from './agent.commands';
import { agentDecider } from './agent.decider';
import type { AgentEvent, AgentRegistered, AgentTokenIssued, AgentUpdated } from './agent.events';
import type { AgentRole } from './agent.role';

const { given } = DeciderSpecification.for(agentDecider);
const { command } = commandsFrom(ada);

// commands (on bob's stream unless the history says otherwise)
const register = (data: Partial<RegisterAgent['data']> = {}, actor?: Actor) =>
  command<RegisterAgent>('RegisterAgent', { agentId: 'bob', name: 'Bob Baker', email: 'bob@example.com', role: 'agent', ...data }, actor);
const update = (data: UpdateAgent['data'], actor?: Actor) => command<UpdateAgent>('UpdateAgent', data, actor);
const deactivate = (actor?: Actor) => command<DeactivateAgent>('DeactivateAgent', {}, actor);
const reactivate = (actor?: Actor) => command<ReactivateAgent>('ReactivateAgent', {}, actor);
const issue = (data: Partial<IssueToken['data']> = {}, actor?: Actor) =>
  command<IssueToken>('IssueToken', { tokenId: 'tok-1', tokenHash: 'a'.repeat(64), label: 'laptop', ...data }, actor);
const revoke = (tokenId: string, actor?: Actor) => command<RevokeToken>('RevokeToken', { tokenId }, actor);
const addFavourite = (requestId: string, actor: Actor = bob) => command<AddFavourite>('AddFavourite', { requestId }, actor);
const removeFavourite = (requestId: string, actor: Actor = bob) => command<RemoveFavourite>('RemoveFavourite', { requestId }, actor);

// events
const registered = (agentId = 'bob', role: AgentRole = 'agent', name = 'Bob Baker', email = `${agentId}@example.com`): AgentRegistered => ({
  type: 'AgentRegistered',
  data: { agentId, name, email, role },
});
const updated = (role: AgentRole, name = 'Bob Baker', email = 'bob@example.com', agentId = 'bob'): AgentUpdated => ({
  type: 'AgentUpdated',
  data: { agentId, name, email, role },
});
const deactivated = (agentId = 'bob'): AgentEvent => ({ type: 'AgentDeactivated', data: { agentId } });
const reactivated = (agentId = 'bob'): AgentEvent => ({ type: 'AgentReactivated', data: { agentId } });
const issued = (tokenId = 'tok-1', label = 'laptop'): AgentTokenIssued => ({
  type: 'AgentTokenIssued',
  data: { agentId: 'bob', tokenId, tokenHash: 'a'.repeat(64), label, issuedAt: NOW },
});
const revoked = (tokenId = 'tok-1'): AgentEvent => ({ type: 'AgentTokenRevoked', data: { agentId: 'bob', tokenId } });
const favouriteAdded = (requestId: string): AgentEvent => ({ type: 'FavouriteAdded', data: { agentId: 'bob', requestId } });
const favouriteRemoved = (requestId: string): AgentEvent => ({ type: 'FavouriteRemoved', data: { agentId: 'bob', requestId } });

// histories
const bobExists = registered();
/** Ada's own stream, for the rules about locking oneself out. */
const adaExists = registered('ada', 'admin', 'Ada Admin');

describe('agent decider', () => {
  describe('RegisterAgent', () => {
    it('registers an agent', () => given().when(register()).then([bobExists]));

    it('normalises the email and trims the name', () =>
      given().when(register({ name: ' Bob Baker ', email: ' Bob@Example.COM ' })).then([bobExists]));

    it('lets the system actor register the first admin', () =>
      given().when(register({ agentId: 'ada', name: 'Ada Admin', email: 'ada@example.com', role: 'admin' }, SYSTEM_ACTOR)).then([adaExists]));

    it('refuses anyone but an admin', () => given().when(register({}, cy)).thenThrows('admin-only'));

    it('refuses an agent that exists', () => given(bobExists).when(register()).thenThrows('agent-exists'));

    it('refuses an empty name', () => given().when(register({ name: '' })).thenThrows('name-required'));

    it('refuses an invalid email', () => given().when(register({ email: 'bob at example' })).thenThrows('invalid-email'));

    it('refuses an unknown role', () => given().when(register({ role: 'boss' as AgentRole })).thenThrows('invalid-role'));

    it('refuses the system role', () => given().when(register({ role: 'system' as AgentRole })).thenThrows('invalid-role'));
  });

  describe('UpdateAgent', () => {
    it('changes the role, with the full new values', () => given(bobExists).when(update({ role: 'auditor' })).then([updated('auditor')]));

    it('changes name and email', () =>
      given(bobExists)
        .when(update({ name: 'Robert Baker', email: 'Robert@Example.com' }))
        .then([updated('agent', 'Robert Baker', 'robert@example.com')]));

    it('does nothing when nothing changes', () =>
      given(bobExists).when(update({ name: 'Bob Baker', email: 'BOB@example.com', role: 'agent' })).thenNothingHappens());

    it('lets an admin change their own name', () =>
      given(adaExists).when(update({ name: 'Ada Lovelace' })).then([updated('admin', 'Ada Lovelace', 'ada@example.com', 'ada')]));

    it('lets an admin demote another admin', () =>
      given(registered('bob', 'admin')).when(update({ role: 'agent' })).then([updated('agent')]));

    it('refuses an admin demoting themself', () => given(adaExists).when(update({ role: 'agent' })).thenThrows('cannot-lock-out-self'));

    it('refuses anyone but an admin', () => given(bobExists).when(update({ name: 'B' }, bob)).thenThrows('admin-only'));

    it('refuses the system actor', () => given(bobExists).when(update({ name: 'B' }, SYSTEM_ACTOR)).thenThrows('admin-only'));

    it('refuses a missing agent', () => given().when(update({ name: 'B' })).thenThrows('unknown-agent'));

    it('refuses an empty name', () => given(bobExists).when(update({ name: ' ' })).thenThrows('name-required'));

    it('refuses an invalid email', () => given(bobExists).when(update({ email: 'bob@localhost' })).thenThrows('invalid-email'));

    it('refuses an unknown role', () => given(bobExists).when(update({ role: 'boss' as AgentRole })).thenThrows('invalid-role'));
  });

  describe('DeactivateAgent', () => {
    it('deactivates an agent', () => given(bobExists).when(deactivate()).then([deactivated()]));

    it('does nothing when the agent is already inactive', () => given(bobExists, deactivated()).when(deactivate()).thenNothingHappens());

    it('refuses an admin deactivating themself', () => given(adaExists).when(deactivate()).thenThrows('cannot-lock-out-self'));

    it('refuses anyone but an admin', () => given(bobExists).when(deactivate(cy)).thenThrows('admin-only'));

    it('refuses a missing agent', () => given().when(deactivate()).thenThrows('unknown-agent'));
  });

  describe('ReactivateAgent', () => {
    it('reactivates a deactivated agent', () => given(bobExists, deactivated()).when(reactivate()).then([reactivated()]));

    it('does nothing when the agent is active', () => given(bobExists).when(reactivate()).thenNothingHappens());

    it('refuses anyone but an admin', () => given(bobExists, deactivated()).when(reactivate(cy)).thenThrows('admin-only'));

    it('refuses a missing agent', () => given().when(reactivate()).thenThrows('unknown-agent'));
  });

  describe('IssueToken', () => {
    it('issues a token, recording its hash and when', () => given(bobExists).when(issue()).then([issued()]));

    it('trims the label', () => given(bobExists).when(issue({ label: '  laptop ' })).then([issued()]));

    it('lets the system actor issue the first token', () => given(bobExists).when(issue({}, SYSTEM_ACTOR)).then([issued()]));

    it('refuses anyone but an admin, even for their own token', () => given(bobExists).when(issue({}, bob)).thenThrows('admin-only'));

    it('refuses a missing agent', () => given().when(issue()).thenThrows('unknown-agent'));

    it('refuses a deactivated agent', () => given(bobExists, deactivated()).when(issue()).thenThrows('agent-inactive'));

    it('refuses a token id already used', () => given(bobExists, issued(), revoked()).when(issue()).thenThrows('token-exists'));

    it('refuses a token without its hash', () => given(bobExists).when(issue({ tokenHash: '' })).thenThrows('invalid-token-hash'));
  });

  describe('RevokeToken', () => {
    it('lets an admin revoke a token', () => given(bobExists, issued()).when(revoke('tok-1')).then([revoked()]));

    it('lets the agent revoke their own token', () => given(bobExists, issued()).when(revoke('tok-1', bob)).then([revoked()]));

    it('revokes a token of a deactivated agent', () => given(bobExists, issued(), deactivated()).when(revoke('tok-1')).then([revoked()]));

    it('refuses another agent', () => given(bobExists, issued()).when(revoke('tok-1', cy)).thenThrows('own-tokens-only'));

    it('refuses an unknown token', () => given(bobExists, issued()).when(revoke('tok-2')).thenThrows('unknown-token'));

    it('refuses a token already revoked', () => given(bobExists, issued(), revoked()).when(revoke('tok-1')).thenThrows('unknown-token'));

    it('refuses a missing agent', () => given().when(revoke('tok-1')).thenThrows('unknown-agent'));
  });

  describe('AddFavourite', () => {
    it('adds a request to the agent’s favourites', () => given(bobExists).when(addFavourite('req-1')).then([favouriteAdded('req-1')]));

    it('does nothing when the request already is a favourite', () =>
      given(bobExists, favouriteAdded('req-1')).when(addFavourite('req-1')).thenNothingHappens());

    it('adds it again after it was removed', () =>
      given(bobExists, favouriteAdded('req-1'), favouriteRemoved('req-1')).when(addFavourite('req-1')).then([favouriteAdded('req-1')]));

    it('refuses anyone else, even an admin', () => given(bobExists).when(addFavourite('req-1', ada)).thenThrows('own-favourites-only'));

    it('refuses a missing agent', () => given().when(addFavourite('req-1')).thenThrows('unknown-agent'));
  });

  describe('RemoveFavourite', () => {
    it('removes a request from the agent’s favourites', () =>
      given(bobExists, favouriteAdded('req-1')).when(removeFavourite('req-1')).then([favouriteRemoved('req-1')]));

    it('does nothing when the request is not a favourite', () => given(bobExists).when(removeFavourite('req-1')).thenNothingHappens());

    it('refuses anyone else', () =>
      given(bobExists, favouriteAdded('req-1')).when(removeFavourite('req-1', cy)).thenThrows('own-favourites-only'));

    it('refuses a missing agent', () => given().when(removeFavourite('req-1')).thenThrows('unknown-agent'));
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(agentDecider, [
      ['admin-only', 'forbidden', [], register({}, bob)],
      ['agent-exists', 'conflict', [bobExists], register()],
      ['unknown-agent', 'not-found', [], deactivate()],
      ['name-required', 'invalid', [], register({ name: '' })],
      ['invalid-email', 'invalid', [], register({ email: 'x' })],
      ['invalid-role', 'invalid', [], register({ role: 'x' as AgentRole })],
      ['cannot-lock-out-self', 'invalid', [adaExists], deactivate()],
      ['agent-inactive', 'conflict', [bobExists, deactivated()], issue()],
      ['token-exists', 'conflict', [bobExists, issued()], issue()],
      ['invalid-token-hash', 'invalid', [bobExists], issue({ tokenHash: ' ' })],
      ['unknown-token', 'not-found', [bobExists], revoke('tok-1')],
      ['own-tokens-only', 'forbidden', [bobExists, issued()], revoke('tok-1', cy)],
      ['own-favourites-only', 'forbidden', [bobExists], addFavourite('req-1', cy)],
    ]));
});
