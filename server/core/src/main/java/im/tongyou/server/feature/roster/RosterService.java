package im.tongyou.server.feature.roster;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.api.roster.Roster;
import im.tongyou.api.roster.RosterItem;
import im.tongyou.api.roster.Subscription;
import im.tongyou.server.feature.roster.SubscriptionStateMachine.Kind;
import im.tongyou.server.feature.roster.SubscriptionStateMachine.Outcome;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * Users' rosters (RFC 6121 §2): the {@link Roster} API other plugins read, and every change (roster
 * sets and removals, subscription state transitions of Appendix A) made under the user's lock,
 * stored with a new roster version and pushed to the user's interested resources.
 */
final class RosterService implements Roster {

    private static final Logger log = LoggerFactory.getLogger(RosterService.class);

    /**
     * A subscription state change of one contact on one user's roster.
     *
     * @param before      the state before the stanza
     * @param after       the state after it
     * @param forward     route (outbound) or deliver (inbound) the stanza
     * @param autoApprove answer "subscribed" on the user's behalf
     */
    record Transition(SubscriptionState before, SubscriptionState after, boolean forward, boolean autoApprove) {
    }

    private final String domain;
    private final RosterStore store;
    private final RosterPushes pushes;
    private final Clock clock;
    private final int maxItems;
    private final UserLocks locks = new UserLocks(256);

    RosterService(String domain, RosterStore store, RosterPushes pushes, Clock clock, int maxItems) {
        this.domain = domain;
        this.store = store;
        this.pushes = pushes;
        this.clock = clock;
        this.maxItems = maxItems;
    }

    @Override
    public List<RosterItem> items(String username) {
        return store.items(username);
    }

    @Override
    public Optional<RosterItem> item(String username, JID contact) {
        return contact == null ? Optional.empty() : store.item(username, contact);
    }

    @Override
    public boolean isContact(String username, JID viewer) {
        if (viewer == null) {
            return false;
        }
        if (username.equals(viewer.getNode()) && domain.equals(viewer.getDomain())) {
            return true;
        }
        return item(username, viewer).map(i -> i.subscription().contactSeesUser()).orElse(false);
    }

    /** Runs work under the user's roster lock, so that no change (and no push) interleaves with it. */
    <T> T locked(String username, Supplier<T> work) {
        ReentrantLock lock = locks.of(username);
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds or updates an item's name and groups (RFC 6121 §2.3, §2.4); its subscription state is
     * kept. Refuses a new item beyond the roster size limit with not-allowed.
     */
    RosterItem set(String username, RosterElement.Update update) throws StanzaErrorException {
        ReentrantLock lock = locks.of(username);
        lock.lock();
        try {
            Optional<RosterItem> existing = store.item(username, update.jid());
            if (existing.isEmpty()) {
                checkRoom(username);
            }
            RosterItem item = existing.map(e -> new RosterItem(e.jid(), update.name(), e.subscription(), e.pendingOut(),
                            e.pendingIn(), e.approved(), update.groups()))
                    .orElseGet(() -> new RosterItem(update.jid(), update.name(), Subscription.NONE, false,
                            store.isPending(username, update.jid()), false, update.groups()));
            long version = store.save(username, item);
            pushes.push(username, RosterElement.item(item), version);
            return item;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes an item and any request from the contact awaiting an answer (RFC 6121 §2.5); returns
     * the state the contact had, or empty when it was not on the roster.
     */
    Optional<SubscriptionState> remove(String username, JID contact) {
        ReentrantLock lock = locks.of(username);
        lock.lock();
        try {
            Optional<RosterItem> item = store.item(username, contact);
            if (item.isEmpty()) {
                return Optional.empty();
            }
            store.removePending(username, contact);
            long version = store.delete(username, contact);
            pushes.push(username, RosterElement.removed(contact), version);
            return item.map(SubscriptionState::of);
        } finally {
            lock.unlock();
        }
    }

    /** RFC 6121 Appendix A.2: the user sends a subscription stanza to the contact. */
    Transition outbound(String username, JID contact, Kind kind) throws StanzaErrorException {
        return apply(username, contact, s -> SubscriptionStateMachine.outbound(s, kind), null, true);
    }

    /**
     * RFC 6121 Appendix A.3: the contact sends a subscription stanza to the user; a new request is
     * kept (with its encrypted content from {@code request}) until the user answers it.
     */
    Transition inbound(String username, JID contact, Kind kind, Supplier<byte[]> request) {
        try {
            return apply(username, contact, s -> SubscriptionStateMachine.inbound(s, kind), request, false);
        } catch (StanzaErrorException e) {
            throw new IllegalStateException("an inbound subscription stanza never adds a roster item", e);
        }
    }

    private Transition apply(String username, JID contact, Function<SubscriptionState, Outcome> table,
                             Supplier<byte[]> request, boolean mayAdd) throws StanzaErrorException {
        ReentrantLock lock = locks.of(username);
        lock.lock();
        try {
            Optional<RosterItem> item = store.item(username, contact);
            SubscriptionState before = item.map(SubscriptionState::of).orElseGet(() -> store.isPending(username, contact)
                    ? new SubscriptionState(Subscription.NONE, false, true, false) : SubscriptionState.NONE);
            Outcome outcome = table.apply(before);
            SubscriptionState after = outcome.next();
            boolean itemChanges = item.isPresent() ? !sameItem(before, after)
                    : after.to() || after.from() || after.pendingOut() || after.approved();
            if (itemChanges && item.isEmpty() && mayAdd) {
                checkRoom(username);
            }
            if (after.pendingIn() && !before.pendingIn()) {
                if (store.pendingCount(username) >= maxItems) {
                    log.debug("{} has {} subscription requests waiting; one more is dropped", username, maxItems);
                    return new Transition(before, before, false, false);
                }
                store.addPending(username, contact, clock.instant(), request == null ? null : request.get());
            } else if (!after.pendingIn() && before.pendingIn()) {
                store.removePending(username, contact);
            }
            if (itemChanges) {
                RosterItem updated = new RosterItem(new JID(contact.toBareJID()), item.map(RosterItem::name).orElse(null),
                        after.subscription(), after.pendingOut(), after.pendingIn(), after.approved(),
                        item.map(RosterItem::groups).orElse(Set.of()));
                long version = store.save(username, updated);
                pushes.push(username, RosterElement.item(updated), version);
            }
            return new Transition(before, after, outcome.forward(), outcome.autoApprove());
        } finally {
            lock.unlock();
        }
    }

    private static boolean sameItem(SubscriptionState a, SubscriptionState b) {
        return a.subscription() == b.subscription() && a.pendingOut() == b.pendingOut() && a.approved() == b.approved();
    }

    /**
     * The roster size limit. RFC 6120 §8.3.3.10 not-allowed: "The recipient or server does not allow
     * any entity to perform the action"; RFC 6121 leaves the limit itself to the server.
     */
    private void checkRoom(String username) throws StanzaErrorException {
        if (store.count(username) >= maxItems) {
            throw StanzaErrorException.notAllowed("the roster is full (" + maxItems + " contacts)");
        }
    }
}
